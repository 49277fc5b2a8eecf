// On a phone the site's menu folds behind a "Meny" button, so a page's content is not pushed
// below a screenful of links. The button shows only when this script runs; without it the
// menu stays open. site.css hides the folded menu at narrow widths only.
(function () {
  var button = document.querySelector(".nav-toggle");
  if (!button) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.hidden = false;
  document.documentElement.classList.add("has-nav-toggle");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  });
})();
