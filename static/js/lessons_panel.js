// The lessons panel beside a planner's form: when the campaign's type or name changes, fetch
// the lessons of past campaigns of that type (reviews' lessons panel) and show them.
(function () {
  const panel = document.getElementById("lessons-panel");
  if (!panel) return;
  const form = panel.closest(".row").querySelector("form");
  const type = form.querySelector("[name=type]");
  const name = form.querySelector("[name=name]");
  let timer = null;
  function load() {
    const params = new URLSearchParams({ type: type ? type.value : "", name: name ? name.value : "" });
    fetch(panel.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => { panel.innerHTML = html; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(load, 300); }
  if (type) type.addEventListener("change", load);
  if (name) name.addEventListener("input", later);
  load();
})();
