// The public pages' main navigation on a narrow screen: the links fold behind a "Menu"
// button (its aria-expanded says whether they show), so that a phone shows the page's own
// heading under a one-line header rather than three lines of links. Without this script,
// or on a wide screen, every link shows as before.
(function () {
  "use strict";
  var nav = document.querySelector(".site-nav");
  if (!nav) { return; }
  var button = nav.querySelector(".menu-button");
  nav.classList.add("js-menu");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
  // Escape closes an open menu and puts the focus back on its button.
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
