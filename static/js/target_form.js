// The target form: show ¥ beside the quarterly split when the chosen metric is an amount in yuan.
(function () {
  "use strict";
  var metric = document.querySelector("select[name=metric]");
  var units = document.querySelectorAll(".quarter-unit");
  if (!metric || !units.length) return;
  function update() {
    var option = metric.options[metric.selectedIndex];
    var money = option && option.dataset.unit === "cny";
    units.forEach(function (unit) { unit.hidden = !money; });
  }
  metric.addEventListener("change", update);
  update();
})();
