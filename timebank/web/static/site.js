/* Small kindnesses that need a script; every page works without it. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 39.99rem)");

  /* The menu is one "Menu" line on a phone, and open on a wider screen. */
  function fitMenu() {
    var menu = document.querySelector("details.menu");
    if (menu) { menu.open = !narrow.matches; }
  }

  /* A table wider than the screen scrolls in its own box: a keyboard must be able to
     reach that box, and a screen reader must hear what it is (WCAG 2.1.1). */
  function labelScrollBoxes() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function showPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function ready() {
    fitMenu();
    labelScrollBoxes();
    showPrintButtons();
    narrow.addEventListener("change", function () { fitMenu(); labelScrollBoxes(); });
    window.addEventListener("resize", labelScrollBoxes);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
