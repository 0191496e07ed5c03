// Keep keyboard focus where it was when htmx replaces a part of the page.
(function () {
  let lastAction = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target.closest("form");
    lastAction = form ? form.getAttribute("action") : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!lastAction) return;
    const form = document.querySelector('form[action="' + CSS.escape(lastAction) + '"]');
    const button = form && form.querySelector("button");
    if (button) button.focus();
  });
})();
