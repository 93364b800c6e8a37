// The RACI matrix's grid editing (tasks/templates/tasks/raci_matrix.html), for those who may
// manage the campaign's tasks: loaded only then, as a file (the Content-Security-Policy allows
// no inline script).
(function () {
  "use strict";
  // One menu and one set of listeners for the whole grid, whatever its size: the cells carry
  // no attributes of their own; the column header says who, the row says which task.
  const table = document.getElementById("raci-table");
  const menu = document.getElementById("raci-menu");
  const feedback = document.getElementById("raci-feedback");
  const columns = table.tHead.rows[table.tHead.rows.length - 1].cells;
  const FIRST = 3;  // task name, status and deadline come before the people
  const refused = feedback.dataset.refused;
  let current = null;
  let edited = null;

  function gridCell(element) {
    const cell = element && element.closest ? element.closest("td") : null;
    return cell && cell.cellIndex >= FIRST && cell.parentElement.dataset.task ? cell : null;
  }

  function moveFocus(from, to) {
    if (!to) return;
    if (from) from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  }

  const first = table.querySelector("tr[data-task]");
  if (first && first.cells[FIRST]) first.cells[FIRST].tabIndex = 0;

  function close() {
    menu.hidden = true;
    if (current && document.body.contains(current.cell)) current.cell.focus();
    current = null;
  }

  function open(cell) {
    const column = columns[cell.cellIndex];
    const row = cell.parentElement;
    if (!column || !column.dataset.kind) return;
    const role = cell.dataset.role || "";
    const owner = role === "R" || role === "A" || role === "R/A";
    current = { cell: cell, kind: column.dataset.kind, id: column.dataset.id, task: row.dataset.task };
    menu.querySelector("#raci-menu-title").textContent =
      row.querySelector("th a").textContent + " · " + column.textContent.trim();
    menu.querySelector("[data-choices]").hidden = owner;
    menu.querySelector("[data-owner]").hidden = !owner;
    menu.querySelector("[data-edit-link]").href = table.dataset.editUrl.replace(table.dataset.placeholder, row.dataset.task);
    menu.hidden = false;
    const rect = cell.getBoundingClientRect();
    const left = Math.min(rect.left, document.documentElement.clientWidth - menu.offsetWidth - 8);
    menu.style.top = window.scrollY + rect.bottom + 4 + "px";
    menu.style.left = window.scrollX + Math.max(left, 8) + "px";
    const target = menu.querySelector(owner ? "[data-edit-link]" : "button[data-role]");
    if (target) target.focus();
  }

  table.addEventListener("click", function (event) {
    const cell = gridCell(event.target);
    if (cell) {
      moveFocus(table.querySelector('td[tabindex="0"]'), cell);
      open(cell);
    }
  });
  table.addEventListener("keydown", function (event) {
    const cell = gridCell(event.target);
    if (!cell) return;
    const row = cell.parentElement;
    const index = cell.cellIndex;
    let next = null;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(cell);
      return;
    } else if (event.key === "ArrowRight") {
      next = cell.nextElementSibling;
    } else if (event.key === "ArrowLeft") {
      next = index > FIRST ? cell.previousElementSibling : null;
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const rows = Array.from(table.querySelectorAll("tr[data-task]"));
      const other = rows[rows.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)];
      next = other ? other.cells[index] : null;
    } else {
      return;
    }
    event.preventDefault();
    moveFocus(cell, next);
  });
  menu.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-role]");
    if (button && current) {
      const values = { task: current.task, role: button.dataset.role };
      values[current.kind] = current.id;
      feedback.hidden = true;
      edited = { row: current.cell.parentElement, index: current.cell.cellIndex };
      htmx.ajax("POST", table.dataset.assignUrl, {
        source: current.cell, target: current.cell, swap: "outerHTML", values: values
      });
      menu.hidden = true;
      current = null;
    } else if (event.target.closest("[data-close]")) {
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !menu.hidden) close();
  });
  document.addEventListener("click", function (event) {
    if (!menu.hidden && !menu.contains(event.target) && !gridCell(event.target)) close();
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!edited) return;
    const cell = edited.row.cells[edited.index];
    edited = null;
    if (cell) moveFocus(null, cell);
  });
  document.body.addEventListener("htmx:responseError", function () {
    if (!edited) return;
    edited = null;
    feedback.textContent = refused;
    feedback.hidden = false;
  });
})();
