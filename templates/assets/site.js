// Filters, search and sorting for tables, in the browser: no server, no library.
// Without JavaScript every row stays visible and the tables keep their build order.
"use strict";

function applyFilters(form) {
  const table = document.getElementById(form.dataset.filterTable);
  if (!table) return;
  const controls = Array.from(form.querySelectorAll("[data-filter]"));
  const rows = Array.from(table.tBodies[0].rows);
  let shown = 0;
  for (const row of rows) {
    const visible = controls.every((control) => {
      const wanted = control.value.trim().toLowerCase();
      if (!wanted) return true;
      const key = control.dataset.filter;
      const value = (row.dataset[key] || "").toLowerCase();
      if (key === "search") return wanted.split(/\s+/).every((word) => value.includes(word));
      if (key === "accounts") return value.split(/\s+/).includes(wanted);
      return value === wanted;
    });
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  const counter = form.querySelector("[data-count-for]");
  if (counter) counter.textContent = `${shown} of ${rows.length} shown`;
}

function sortBy(table, header) {
  const key = header.dataset.sort;
  const numeric = header.dataset.type === "number";
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of table.tHead.querySelectorAll("th")) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = a.dataset[key] || "";
    const y = b.dataset[key] || "";
    const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-filter-table]")) {
    form.addEventListener("input", () => applyFilters(form));
    form.addEventListener("change", () => applyFilters(form));
    form.addEventListener("submit", (event) => event.preventDefault());
    applyFilters(form);
  }
  for (const table of document.querySelectorAll("table.sortable")) {
    for (const header of table.tHead.querySelectorAll("th[data-sort]")) {
      const button = header.querySelector("button");
      if (button) button.addEventListener("click", () => sortBy(table, header));
    }
  }
});
