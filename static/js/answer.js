// Live character count against the criterion's limit. The server enforces the limit;
// this only tells the writer early.
(function () {
  document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    var counter = document.querySelector('.char-count[data-for="' + area.id + '"]');
    if (!counter) return;
    var limit = parseInt(area.dataset.maxLength, 10);
    var update = function () {
      var length = area.value.replace(/\r\n/g, "\n").length;
      counter.textContent = length + " / " + limit + " tecken" + (length > limit ? " – " + (length - limit) + " för många" : "");
      counter.classList.toggle("over-limit", length > limit);
    };
    area.addEventListener("input", update);
    update();
  });
})();
