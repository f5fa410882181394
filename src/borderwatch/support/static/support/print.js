// The overview's Print button (no inline handler: the Content-Security-Policy forbids them).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
