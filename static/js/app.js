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

// A part of a page that htmx asks for (a task's card…) answered 503: the database is read-only
// or out of reach for a moment. Show the page that says so, instead of leaving the old content
// as if the change had been saved.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 503) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.body;
    event.detail.swapOverride = "innerHTML";
  }
});
