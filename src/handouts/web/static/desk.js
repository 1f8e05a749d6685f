// The front desk's little JavaScript: every page works without it (forms submit, links open);
// with it, the library filters as you type, the build status stays current, and a program's
// exercises are added from a search box and reordered by dragging or with the arrow buttons.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// ---- Library: search and filters update the list in place ---------------------------------------
function libraryPage() {
  const form = document.getElementById("library-search");
  const results = document.getElementById("library-results");
  if (!form || !results) return null;
  let asked = 0;
  async function refresh() {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) if (!value) params.delete(key);
    const query = params.toString();
    history.replaceState(null, "", query ? "/?" + query : "/");
    params.set("partial", "1");
    const mine = ++asked;
    const response = await fetch("/?" + params.toString(), { headers: { "Accept": "text/html" } });
    if (mine !== asked || !response.ok) return;  // a newer search has been typed since
    results.innerHTML = await response.text();
    const count = results.querySelector(".count");
    const announce = document.getElementById("library-announce");
    if (count && announce) announce.textContent = count.textContent;
  }
  const later = debounce(refresh, 180);
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  // After a build, new previews: but never pull the list from under a focused card
  return () => { if (!results.contains(document.activeElement)) refresh(); };
}

// ---- Build status: polled every two seconds, redrawn when it changes ----------------------------
function buildStatus(onNewBuild) {
  const shown = document.getElementById("build-status");
  if (!shown || shown.classList.contains("status-off")) return;
  let last = shown.outerHTML;
  let generation = shown.dataset.generation;
  async function poll() {
    try {
      const response = await fetch("/status", { headers: { "Accept": "text/html" } });
      if (response.ok) {
        const html = (await response.text()).trim();
        // Updated in place (the live region stays, so readers hear it); the keyboard's place in it,
        // the "Show them" switch, is given back to its new self, not lost with the old one.
        if (html !== last) {
          const hadFocus = shown.contains(document.activeElement);
          const open = shown.querySelector("details[open]") !== null;
          const holder = document.createElement("div");
          holder.innerHTML = html;
          const fresh = holder.firstElementChild;
          if (open && fresh.querySelector("details")) fresh.querySelector("details").open = true;
          shown.className = fresh.className;
          shown.dataset.generation = fresh.dataset.generation;
          shown.replaceChildren(...fresh.childNodes);
          if (hadFocus) {
            const summary = shown.querySelector("summary");
            if (summary) summary.focus(); else { shown.tabIndex = -1; shown.focus(); }
          }
          last = html;
          if (fresh.dataset.generation !== generation) {
            generation = fresh.dataset.generation;
            if (onNewBuild) onNewBuild();
          }
        }
      }
    } catch (error) { /* the server is restarting: try again at the next tick */ }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);
}

document.addEventListener("DOMContentLoaded", () => {
  const refreshLibrary = libraryPage();
  buildStatus(refreshLibrary);
  if (window.programPage) window.programPage();
});

// ---- A program's exercises: add from the search box, move, drag, remove --------------------------
window.programPage = function programPage() {
  const rows = document.getElementById("rows");
  const template = document.getElementById("row-template");
  const search = document.getElementById("add-search");
  const suggestions = document.getElementById("suggestions");
  if (!rows || !template || !search) return;
  const empty = document.getElementById("no-rows");
  const announce = document.getElementById("rows-announce");
  const titleOf = (row) => row.querySelector("[data-row-title]").textContent;
  const say = (text) => { if (announce) announce.textContent = text; };
  let made = 0;

  function renumber() {
    // The ids and labels stay unique and in order; the names repeat, so the order sent is the order shown.
    [...rows.children].forEach((row, index) => {
      row.querySelectorAll("[id^='ex-']").forEach((input) => {
        const rest = input.id.split("-").slice(2).join("-");
        const label = row.querySelector(`label[for='${input.id}']`);
        input.id = `ex-${index}-${rest}`;
        if (label) label.htmlFor = input.id;
      });
    });
    if (empty) empty.hidden = rows.children.length > 0;
  }

  function move(row, step) {
    const other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    if (step < 0) rows.insertBefore(row, other); else rows.insertBefore(other, row);
    renumber();
    say(`${titleOf(row)}: now number ${[...rows.children].indexOf(row) + 1} of ${rows.children.length}`);
  }

  rows.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const row = button.closest("[data-row]");
    if (button.dataset.move) {
      move(row, button.dataset.move === "up" ? -1 : 1);
      button.focus();
    } else if (button.hasAttribute("data-remove")) {
      const next = row.nextElementSibling || row.previousElementSibling;
      say(`${titleOf(row)} removed`);
      row.remove();
      renumber();
      (next ? next.querySelector("[data-remove]") : search).focus();
    }
  });

  // Drag by the row: a line shows where it will go.
  let dragged = null;
  rows.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("[data-row]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  // Over a row's upper half the dragged row goes before it, over its lower half after it.
  const below = (row, event) => event.clientY > row.getBoundingClientRect().top + row.offsetHeight / 2;
  const unmark = () => rows.querySelectorAll(".drop-before, .drop-after")
    .forEach((r) => r.classList.remove("drop-before", "drop-after"));
  rows.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const over = event.target.closest("[data-row]");
    unmark();
    if (over && over !== dragged) over.classList.add(below(over, event) ? "drop-after" : "drop-before");
  });
  rows.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const over = event.target.closest("[data-row]");
    if (over && over !== dragged) rows.insertBefore(dragged, below(over, event) ? over.nextSibling : over);
    else if (!over) rows.appendChild(dragged);
    renumber();
    say(`${titleOf(dragged)}: now number ${[...rows.children].indexOf(dragged) + 1} of ${rows.children.length}`);
  });
  rows.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    unmark();
    dragged = null;
  });

  async function add(id) {
    const response = await fetch("/api/exercises/" + encodeURIComponent(id));
    if (!response.ok) {
      const item = document.createElement("li");
      item.setAttribute("role", "alert");
      item.textContent = "That exercise's file has a mistake (see the build status above), so it cannot be " +
        "added until it is fixed.";
      suggestions.replaceChildren(item);
      return;
    }
    const exercise = await response.json();
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelector("input[name='ex_id']").value = exercise.id;
    row.querySelector("[data-row-title]").textContent = exercise.title;
    row.querySelectorAll("[data-row-name]").forEach((span) => { span.textContent = exercise.title; });
    row.querySelectorAll("[data-move], [data-remove]").forEach((b) => {
      b.setAttribute("aria-label", b.getAttribute("aria-label").replace(/ it /, ` ${exercise.title} `).replace(/ it$/, ` ${exercise.title}`));
    });
    row.querySelectorAll("input[data-part]").forEach((input) => {
      input.value = exercise.dose[input.dataset.part] || "";
    });
    made += 1;
    rows.appendChild(row);
    renumber();
    search.value = "";
    suggestions.replaceChildren();
    say(`${exercise.title} added as number ${rows.children.length}`);
    row.querySelector("input[data-part]").focus();
  }

  let asked = 0;
  async function lookUp() {
    const words = search.value.trim();
    const mine = ++asked;
    if (!words) { suggestions.replaceChildren(); return []; }
    const response = await fetch("/api/exercises?q=" + encodeURIComponent(words));
    if (mine !== asked || !response.ok) return null;  // a newer search has been typed since
    const found = await response.json();
    show(found);
    return found;
  }
  function show(found) {
    suggestions.replaceChildren(...found.map((exercise) => {
      const item = document.createElement("li");
      const title = document.createElement("span");
      title.textContent = exercise.title + (exercise.level ? ` (${exercise.level})` : "");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "small";
      button.textContent = "Add";
      button.setAttribute("aria-label", `Add ${exercise.title}`);
      button.addEventListener("click", () => add(exercise.id));
      title.addEventListener("click", () => add(exercise.id));  // the title too, for a mouse
      item.append(title, button);
      return item;
    }));
    if (!found.length) {
      const item = document.createElement("li");
      item.textContent = "No exercise matches; try fewer or shorter words.";
      suggestions.replaceChildren(item);
    }
  }
  const find = debounce(lookUp, 150);
  search.addEventListener("input", () => { suggestions.replaceChildren(); find(); });  // never a stale match
  search.addEventListener("keydown", async (event) => {
    if (event.key === "Enter") {  // Enter adds the best match for what is typed now, instead of saving the form
      event.preventDefault();
      const found = await lookUp();
      if (found && found.length) add(found[0].id);
    }
  });
  renumber();
  const problem = document.querySelector(".notice.bad");  // after a refused save: say it first
  if (problem) { problem.tabIndex = -1; problem.focus(); }
  const form = document.getElementById("program-form");
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) { event.preventDefault(); return; }  // a double click saves once
    form.dataset.sent = "1";
    setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; }), 0);
  });
  window.addEventListener("pageshow", () => {  // back to this page from the PDF: it can be saved again
    delete form.dataset.sent;
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = false; });
  });
};

// ---- A list filtered as you type (the programs page) ---------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-filter-rows]").forEach((input) => {
    const body = document.querySelector(input.dataset.filterRows);
    if (!body) return;
    input.form.addEventListener("submit", (event) => event.preventDefault());
    input.addEventListener("input", () => {
      const words = input.value.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      for (const row of body.rows) {
        const text = row.textContent.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        row.hidden = words !== "" && !text.includes(words);
      }
    });
  });
});
