// Keep keyboard focus where it was when htmx replaces a part of the page.
// Focus moves once the new content is settled, i.e. when htmx has bound its forms: before that,
// a quick Enter on the focused button would submit the form natively and reload the page
// (base.html also sets defaultSettleDelay to 0 so there is no such gap at all).
(function () {
  let lastAction = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target.closest("form");
    lastAction = form ? form.getAttribute("action") : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastAction) return;
    const form = document.querySelector('form[action="' + CSS.escape(lastAction) + '"]');
    const button = form && form.querySelector("button");
    if (button) button.focus();
  });
})();
