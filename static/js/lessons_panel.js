// The lessons panel beside a planner's form or page: fetch the lessons of past campaigns
// (reviews' lessons panel) and show them. Beside the new-campaign form, again whenever the
// campaign's type or name changes; where the page is about one campaign (data-fixed: the new
// task form, the weekly review), once, for that campaign's type and channels.
(function () {
  const panel = document.getElementById("lessons-panel");
  if (!panel) return;
  const row = panel.closest(".row");
  const form = "fixed" in panel.dataset || !row ? null : row.querySelector("form");
  const type = form ? form.querySelector("[name=type]") : null;
  const name = form ? form.querySelector("[name=name]") : null;
  let timer = null;
  function address() {
    if (!form) return panel.dataset.url;
    const params = new URLSearchParams({ type: type ? type.value : "", name: name ? name.value : "" });
    return panel.dataset.url + "?" + params.toString();
  }
  function load() {
    fetch(address(), { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => { panel.innerHTML = html; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(load, 300); }
  if (type) type.addEventListener("change", load);
  if (name) name.addEventListener("input", later);
  load();
})();
