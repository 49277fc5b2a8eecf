// On a narrow screen a wide table scrolls sideways inside its own box (site.css). A box
// that scrolls must be reachable by keyboard, so such a table gets tabindex="0" while it
// scrolls (and loses it when the window grows wide enough to show it whole).
(function () {
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var overflow = getComputedStyle(table).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollFocus = "1";
      } else if (!scrolls && table.dataset.scrollFocus) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
