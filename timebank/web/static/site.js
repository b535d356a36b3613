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

  /* A member picker's Find (and the group's "Tick everyone in this area") without leaving
     the page: the form is sent as the button would send it, and the picker in the answer
     takes this one's place. So a search adds no page to the history, and Back after
     recording returns to the form. Anything unexpected: the plain round trip. */
  function findInPlace(button) {
    var form = button.form, picker = button.closest("[data-picker]");
    var body = new FormData(form);
    body.append(button.name, button.value);
    button.disabled = true;
    fetch(window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(picker.id);
        if (!fresh) { throw new Error("no picker"); }
        picker.replaceWith(fresh);
        var said = fresh.querySelector("[role=status]");
        if (said) { said.focus(); }
      })
      .catch(function () {
        button.disabled = false;
        form.requestSubmit(button);
      });
  }

  function enhancePickers() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker] button[data-find]");
      if (button) { event.preventDefault(); findInPlace(button); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !event.target.matches("[data-picker] input[type=search]")) { return; }
      var button = event.target.parentNode.querySelector("button[data-find]");
      if (button) { event.preventDefault(); findInPlace(button); }
    });
  }

  /* A form sent back with problems: the keyboard and the screen reader start at the list
     of what to put right, whose links lead to each field (as GOV.UK's error summary). */
  function focusProblems() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  function ready() {
    focusProblems();
    enhancePickers();
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
