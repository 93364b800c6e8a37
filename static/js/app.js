// Behaviour every page shares. It lives in a file, never in the page: the Content-Security-Policy
// allows no inline script and no event handler attribute (onsubmit=, oninput=…). Listeners sit on
// the document, so content that htmx swaps in behaves the same.
(function () {
  "use strict";

  // A form with data-confirm asks first (closing a plan, removing a chat group).
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // A range input with data-shows-value shows its value in the <output> that follows it.
  document.addEventListener("input", function (event) {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-shows-value")) {
      const output = input.nextElementSibling;
      if (output && output.tagName === "OUTPUT") output.value = input.value + "%";
    }
  });
})();
