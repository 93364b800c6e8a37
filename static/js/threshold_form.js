// The threshold form (tracking/templates/tracking/threshold_form.html), as a file: the
// Content-Security-Policy allows no inline script.
// Show only the fields the chosen kind of threshold uses.
(function () {
  const form = document.getElementById("threshold-form");
  const kind = form.querySelector("[name=kind]");
  function update() {
    form.querySelectorAll("[data-kinds]").forEach(function (row) {
      row.hidden = !row.dataset.kinds.split(" ").includes(kind.value);
    });
  }
  kind.addEventListener("change", update);
  update();
})();
