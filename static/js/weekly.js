// The weekly progress log: the print button prints the page (its stylesheet lays it out on A4).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
