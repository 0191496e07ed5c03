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

// Wide tables: while a .table-scroll box is narrower than its table, say so above it (the text
// comes from the page, translated: #zwk-scroll-hint) and make the box reachable by keyboard.
(function () {
  function hintFor(box) {
    const before = box.previousElementSibling;
    if (before && before.classList.contains("scroll-hint")) return before;
    const source = document.getElementById("zwk-scroll-hint");
    if (!source) return null;
    const hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.textContent = source.textContent;
    box.before(hint);
    return hint;
  }
  function update(box) {
    const wider = box.scrollWidth - box.clientWidth > 1;
    box.classList.toggle("is-scrollable", wider);
    if (wider && !box.hasAttribute("tabindex")) box.tabIndex = 0;
    const hint = wider ? hintFor(box) : box.previousElementSibling;
    if (hint && hint.classList.contains("scroll-hint")) hint.hidden = !wider;
  }
  function updateAll() {
    document.querySelectorAll(".table-scroll").forEach(update);
  }
  document.addEventListener("DOMContentLoaded", updateAll);
  window.addEventListener("resize", updateAll);
  document.addEventListener("htmx:afterSettle", updateAll);
})();

// A live hint when a field that must not hold a person's name looks like one
// (data-name-pattern, data-name-hint; the same rule is checked on the server: zwk.profile.names).
(function () {
  function looksLikeName(pattern, text) {
    const matches = text.match(new RegExp(pattern, "gi")) || [];
    return matches.some(function (m) {
      const words = m.trim().split(/\s+/);
      return /^[A-ZÄÖÜ]/.test(words[words.length - 1]);
    });
  }
  document.querySelectorAll("input[data-name-pattern]").forEach(function (input) {
    const hint = document.createElement("p");
    hint.className = "help name-hint";
    hint.id = input.id + "_namehint";
    hint.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", hint);
    input.setAttribute("aria-describedby",
      ((input.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    function check() {
      hint.textContent = looksLikeName(input.dataset.namePattern, input.value)
        ? input.dataset.nameHint : "";
    }
    input.addEventListener("input", check);
    check();
  });
})();
