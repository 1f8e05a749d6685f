// The exercise editor's script.  The page works without it: every list button is a submit button
// the server answers with the changed form, pictures upload with the form, and "Show the preview"
// draws the page.  With it, the lists change in place, targets/equipment/tags are tag inputs, a
// picture is uploaded as soon as it is chosen or dropped, and the preview follows the typing.
"use strict";

(() => {
  const form = document.getElementById("exercise-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  const csrf = document.body.dataset.csrf;
  const announcer = document.getElementById("editor-announce");
  const say = (text) => { if (announcer) { announcer.textContent = ""; setTimeout(() => { announcer.textContent = text; }, 30); } };
  let dirty = false;
  const changed = () => { dirty = true; form.dispatchEvent(new Event("editor-change")); };

  // Enter in a one-line field must not save the whole exercise (a browser submits the form on it, and
  // the tag fields teach pressing Enter): only the Save button saves.  Text areas keep their new lines.
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key === "Enter" && field instanceof HTMLInputElement &&
        !["submit", "button", "checkbox", "radio", "file"].includes(field.type)) {
      event.preventDefault();
    }
  });

  // ---- Lists: add, remove, move; names and labels renumbered so the order sent is the order shown --
  function renumber(list) {
    const name = list.dataset.list;
    const pattern = new RegExp("(^|[^\\w])" + name + "\\.(\\d+|__)", "g");
    [...list.children].forEach((item, index) => {
      item.querySelectorAll("[id], [name], [for], [aria-describedby], button[value]").forEach((element) => {
        for (const attribute of ["id", "name", "for", "aria-describedby", "value"]) {
          const value = element.getAttribute(attribute);
          if (value && value.includes(name + ".")) element.setAttribute(attribute, value.replace(pattern, `$1${name}.${index}`));
        }
      });
      item.querySelectorAll("[data-number]").forEach((span) => { span.textContent = index + 1; });
      item.querySelectorAll("[data-aria]").forEach((button) => {
        button.setAttribute("aria-label", button.dataset.aria.replace("#", index + 1));
      });
    });
  }
  const wordOf = (item) => (item.querySelector("[data-word]") || {}).textContent || "Item";
  const firstField = (item) => item.querySelector("textarea, input:not([type=hidden])");

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-op], button[data-add]");
    if (!button) return;
    event.preventDefault();
    if (button.dataset.add) {
      const list = document.getElementById("list-" + button.dataset.add);
      const template = document.getElementById("template-" + button.dataset.add);
      const item = template.content.firstElementChild.cloneNode(true);
      list.appendChild(item);
      renumber(list);
      firstField(item).focus();
      say(`${wordOf(item)} ${list.children.length} added`);
      changed();
      return;
    }
    const item = button.closest("[data-item]");
    const list = item.parentElement;
    const word = wordOf(item);
    if (button.dataset.op === "remove") {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      renumber(list);
      (next ? firstField(next) : document.querySelector(`[data-add="${list.dataset.list}"]`)).focus();
      say(`${word} removed; ${list.children.length} left`);
    } else {
      const other = button.dataset.op === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (!other) { say(`${word} ${[...list.children].indexOf(item) + 1} is already the ${button.dataset.op === "up" ? "first" : "last"}`); return; }
      list.insertBefore(item, button.dataset.op === "up" ? other : other.nextElementSibling);
      renumber(list);
      button.focus();
      say(`${word} moved ${button.dataset.op}: now ${word.toLowerCase()} ${[...list.children].indexOf(item) + 1} of ${list.children.length}`);
    }
    changed();
  });

  // ---- Tag inputs: the words as removable chips; the comma-separated field kept up to date --------
  document.querySelectorAll("[data-tags]").forEach((box) => {
    const field = box.querySelector("input[name]");
    const label = box.querySelector("label").textContent.trim();
    const entry = document.createElement("input");
    entry.id = field.id;
    entry.autocomplete = "off";
    entry.setAttribute("list", field.getAttribute("list"));
    for (const attribute of ["aria-describedby", "aria-invalid"]) {
      if (field.hasAttribute(attribute)) entry.setAttribute(attribute, field.getAttribute(attribute));
    }
    entry.placeholder = "Type and press Enter";
    field.id = field.id + "-all";
    field.type = "hidden";
    field.removeAttribute("list");
    const chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", `${label} given`);
    const split = (text) => text.split(/[,\n]/).map((w) => w.trim()).filter(Boolean);
    let words = split(field.value);
    function draw() {
      chips.replaceChildren(...words.map((word) => {
        const chip = document.createElement("li");
        const text = document.createElement("span");
        text.textContent = word;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `Remove ${word}`);
        remove.addEventListener("click", () => {
          words = words.filter((w) => w !== word);
          sync();
          entry.focus();
          say(`${word} removed from ${label.toLowerCase()}`);
        });
        chip.append(text, remove);
        return chip;
      }));
      chips.hidden = words.length === 0;
    }
    function sync() { field.value = words.join(", "); draw(); changed(); }
    function add() {
      const fresh = split(entry.value).filter((w) => !words.some((had) => had.toLowerCase() === w.toLowerCase()));
      entry.value = "";
      if (!fresh.length) return;
      words = words.concat(fresh);
      sync();
      say(`${fresh.join(", ")} added to ${label.toLowerCase()}`);
    }
    entry.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === ",") { event.preventDefault(); add(); }
    });
    entry.addEventListener("input", (event) => {  // a suggestion picked from the list, or words pasted with commas
      if (!event.inputType || event.inputType === "insertReplacementText" || entry.value.includes(",")) add();
    });
    entry.addEventListener("change", add);
    field.after(chips, entry);
    draw();
  });

  // ---- The preview: asked for after a pause in typing; a newer request cancels the one in flight --
  const facts = document.getElementById("preview-facts");
  const problems = document.getElementById("preview-problems");
  const image = document.getElementById("preview-image");
  let inFlight = null;
  function line(text, className) {
    const item = document.createElement(className === "p" ? "p" : "li");
    if (className && className !== "p") item.className = className;
    item.textContent = text;
    return item;
  }
  async function refresh() {
    if (inFlight) inFlight.abort();
    const mine = new AbortController();
    inFlight = mine;
    const data = new FormData(form);
    for (const key of [...data.keys()]) if (key.endsWith(".upload") || key === "op") data.delete(key);
    facts.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/exercises/preview", { method: "POST", body: data, signal: mine.signal,
        headers: { "X-CSRF-Token": csrf } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const made = await response.json();
      if (mine.signal.aborted) return;
      const empty = document.getElementById("preview-empty");
      if (made.png) {
        image.src = made.png;
        image.hidden = false;
        image.classList.remove("stale");
        if (empty) empty.hidden = true;
      } else if (!image.hidden) image.classList.add("stale");
      else if (empty && made.problems.length && (dirty || form.elements.opened.value)) {
        empty.textContent = "The page appears here once what is listed above is put right.";
      }
      const shown = made.facts.map((f) => line(f, "p"));
      if (!made.png && !image.hidden) shown.push(line("Not printable as it is now: the page shows the last version that was.", "p"));
      facts.replaceChildren(...shown);
      const untouched = !dirty && !form.elements.opened.value && image.hidden;  // a new form, nothing typed yet
      problems.replaceChildren(...(untouched ? [] : made.problems.map((p) => line(p, "bad"))),
        ...made.warnings.map((w) => line(w)));
    } catch (error) {
      if (error.name === "AbortError") return;
      facts.replaceChildren(line(`The preview could not be made (${error.message}). Saving still works.`, "p"));
    } finally {
      if (inFlight === mine) { inFlight = null; facts.removeAttribute("aria-busy"); }
    }
  }
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 600); };
  form.addEventListener("input", (event) => {
    if (event.target.name && event.target.type !== "file") { dirty = true; later(); }
  });
  form.addEventListener("change", (event) => { if (event.target.name && event.target.type !== "file") later(); });
  form.addEventListener("editor-change", later);
  refresh();

  // ---- Pictures: chosen or dropped, uploaded at once, shown in their slot and in the preview ------
  const slots = [...form.querySelectorAll("[data-slot]")];
  const limitMb = Number(form.dataset.uploadMb) || 25;
  async function upload(slot, file) {
    const message = slot.querySelector("[data-upload-message]");
    if (file.size > limitMb * 1024 * 1024) {  // refused here before sending it; the server refuses it too
      slot.querySelector("[data-upload]").value = "";
      message.textContent = `Not uploaded: ${file.name} is ${Math.ceil(file.size / 1048576)} MB; a picture may be at most ${limitMb} MB`;
      slot.classList.add("invalid");
      return;
    }
    message.textContent = `Uploading ${file.name}…`;
    message.classList.remove("message");
    const data = new FormData();
    data.append("csrf_token", csrf);
    for (const name of ["opened", "title", "id"]) {
      const field = form.elements[name];
      if (field) data.append(name, field.value);
    }
    data.append("file", file);
    let answer;
    try {
      const response = await fetch("/exercises/upload", { method: "POST", body: data, headers: { "X-CSRF-Token": csrf } });
      answer = response.status === 413
        ? { error: `${file.name} is too large to upload (a picture is at most ${limitMb} MB)` }
        : await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
    } catch (error) {
      answer = { error: "the server did not answer; try again" };
    }
    slot.querySelector("[data-upload]").value = "";
    message.classList.add("message");
    if (answer.error) {
      message.textContent = `Not uploaded: ${answer.error}`;
      slot.classList.add("invalid");
      return;
    }
    message.textContent = "";
    slot.classList.remove("invalid");
    show(slot, answer.file, answer.url);
    say(`${file.name} uploaded as the ${slot.querySelector("h3").textContent.toLowerCase()} picture`);
    changed();
  }
  function show(slot, file, url) {
    slot.querySelector("[data-file]").value = file;
    const picture = slot.querySelector("[data-picture]");
    if (url) picture.src = url; else picture.removeAttribute("src");
    picture.hidden = !file;
    slot.querySelector("[data-drop-hint]").hidden = Boolean(file);
    const name = slot.querySelector("[data-file-name]");
    name.textContent = file ? "assets/" + file : "";
    name.hidden = !file;
    slot.querySelector("[data-remove-picture]").hidden = !file;
  }
  slots.forEach((slot) => {
    slot.querySelector("[data-upload]").addEventListener("change", (event) => {
      if (event.target.files.length) upload(slot, event.target.files[0]);
    });
    slot.querySelector("[data-remove-picture]").addEventListener("click", (event) => {
      event.preventDefault();
      show(slot, "", "");
      slot.querySelector("[data-upload]").focus();
      say("Picture removed");
      changed();
    });
  });
  // Dropped on a slot: that slot; anywhere else on the page: the first empty one.
  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  document.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    slots.forEach((s) => s.classList.toggle("drag-over", s.contains(event.target)));
  });
  document.addEventListener("dragleave", (event) => { if (!event.relatedTarget) slots.forEach((s) => s.classList.remove("drag-over")); });
  document.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    slots.forEach((s) => s.classList.remove("drag-over"));
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const slot = slots.find((s) => s.contains(event.target)) || slots.find((s) => !s.querySelector("[data-file]").value);
    if (slot) upload(slot, file);
    else say("Both pictures are given: drop the photo on the one it replaces");
  });

  // ---- Saving: once per click; leaving with unsaved changes asks first ----------------------------
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    dirty = false;
  });
  window.addEventListener("pageshow", () => { delete form.dataset.sent; });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });
  const problem = document.querySelector(".notice.bad");
  if (problem) { problem.tabIndex = -1; problem.focus(); }
})();
