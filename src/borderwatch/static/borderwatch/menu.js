// Phones: start with the main menu folded behind its "Menu" button (desktop keeps it open).
(function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 700px)").matches) menu.removeAttribute("open");
})();
