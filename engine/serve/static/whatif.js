// What-if on the assessment page (engine/serve/whatif.py): every control of form#whatif holds the rules' own
// value in data-base; the controls that differ are posted to /api/whatif as one set of changes, and the scores,
// totals, priorities and the list of changes are updated in place. Text only (textContent), never markup.
"use strict";
(function () {
  const form = document.getElementById("whatif");
  if (!form) return;
  const token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const status = document.getElementById("whatif-status");
  const changesList = document.getElementById("changes");
  const controls = Array.from(form.querySelectorAll("[data-path]"));
  let timer = null;
  let sequence = 0;

  function wanted() {
    // The changes the controls make: each control whose value differs from the rules' own.
    const changes = [];
    for (const control of controls) {
      const value = control.value.trim();
      if (value === "" || value === control.dataset.base) continue;
      changes.push({ path: control.dataset.path, value: value });
    }
    return changes;
  }

  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  }

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle("error", Boolean(isError));
  }

  async function update() {
    const mine = ++sequence;
    const changes = wanted();
    say(status, "Working…", false);
    let response;
    try {
      response = await post("/api/whatif", { changes: changes });
    } catch (error) {
      say(status, "The server did not answer: is cspscore serve still running?", true);
      return;
    }
    if (mine !== sequence) return; // a later change is on its way
    if (!response.ok) {
      say(status, "Not applied: " + (await response.text()).trim(), true);
      return;
    }
    const result = await response.json();
    showRows(result.rows);
    showPriorities(result.rows);
    showChanges(result.changes);
    updateDownloads(changes);
    const moved = result.entering.length + result.leaving.length;
    say(
      status,
      changes.length === 0
        ? "The rules as written."
        : moved === 0
          ? "No issue enters or leaves the priorities."
          : result.entering.length + " entering, " + result.leaving.length + " leaving the priorities.",
      false,
    );
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  }

  function rowFor(row) {
    for (const tr of document.querySelectorAll("table#scores tr[data-issue]")) {
      if (tr.dataset.issue !== row.issue_id) continue;
      if (tr.dataset.area !== undefined && row.area !== null && tr.dataset.area !== row.area) continue;
      return tr;
    }
    return null;
  }

  function showRows(rows) {
    for (const row of rows) {
      const tr = rowFor(row);
      if (!tr) continue;
      for (const [cid, text] of Object.entries(row.scores_text)) {
        const cell = tr.querySelector('td[data-criterion="' + CSS.escape(cid) + '"]');
        if (cell) setText(cell, text);
      }
      const total = tr.querySelector("td.total");
      if (total) setText(total, row.total_text);
      const rank = tr.querySelector("td.rank");
      if (rank) setText(rank, String(row.rank));
      const priority = tr.querySelector("td.priority");
      if (priority) {
        priority.textContent = row.priority ? "yes" : "no";
        if (row.change) {
          const badge = document.createElement("span");
          badge.className = "change " + row.change;
          badge.textContent = row.change; // "enters" / "leaves": the word carries the meaning, not the colour
          priority.append(" ", badge);
        }
      }
      tr.classList.toggle("changed", Boolean(row.change));
    }
  }

  function setText(cell, text) {
    // Keep a cell's own first text, to mark a value that differs from the rules as written.
    if (cell.dataset.asWritten === undefined) cell.dataset.asWritten = cell.textContent.trim();
    cell.textContent = text;
    cell.classList.toggle("varied", text !== cell.dataset.asWritten);
  }

  function showPriorities(rows) {
    const list = document.getElementById("priorities");
    if (!list) return;
    const chosen = rows.filter((row) => row.priority).sort((a, b) => a.rank - b.rank);
    const several = new Set(rows.map((row) => row.area)).size > 1;
    list.replaceChildren();
    for (const row of chosen) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "issue-link";
      link.href =
        "/issue/" +
        encodeURIComponent(row.issue_id) +
        (several && row.area !== null ? "?area=" + encodeURIComponent(row.area) : "");
      link.textContent = row.issue;
      item.append(link, " (" + row.total_text + ")");
      if (several && row.area !== null) item.append(", " + row.area);
      if (row.change === "enters") {
        const badge = document.createElement("span");
        badge.className = "change enters";
        badge.textContent = "enters";
        item.append(" ", badge);
      }
      list.append(item);
    }
    if (chosen.length === 0) {
      const item = document.createElement("li");
      item.textContent = "None.";
      list.append(item);
    }
  }

  function showChanges(changes) {
    if (!changesList) return;
    changesList.replaceChildren();
    for (const change of changes) {
      const item = document.createElement("li");
      const path = document.createElement("code");
      path.textContent = change.path;
      item.append(path, ": " + change.before + " → " + change.after);
      if (change.linked) item.append(" (moved with it: shared boundary)");
      changesList.append(item);
    }
    if (changes.length === 0) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = "None: the rules as written.";
      changesList.append(item);
    }
  }

  function updateDownloads(changes) {
    for (const link of document.querySelectorAll("a.download[data-format]")) {
      if (link.dataset.baseHref === undefined) link.dataset.baseHref = link.getAttribute("href") || "";
      const url = new URL(link.dataset.baseHref, window.location.href);
      url.searchParams.delete("set");
      for (const change of changes) url.searchParams.append("set", change.path + "=" + change.value);
      link.setAttribute("href", url.pathname + url.search);
    }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());

  document.getElementById("reset").addEventListener("click", () => {
    for (const control of controls) control.value = control.dataset.base;
    window.clearTimeout(timer);
    update();
  });

  // Save as a scenario file beside the rule file; a name already used is replaced only when confirmed.
  const saveStatus = document.getElementById("save-status");
  document.getElementById("save-scenario").addEventListener("click", async () => {
    const name = document.getElementById("scenario-name").value.trim();
    const body = { name: name, changes: wanted(), overwrite: false };
    try {
      let response = await post("/api/scenario", body);
      if (response.status === 409) {
        const message = (await response.text()).trim();
        if (!window.confirm(message + ". Replace it?")) {
          say(saveStatus, "Not saved: " + message + ".", true);
          return;
        }
        body.overwrite = true;
        response = await post("/api/scenario", body);
      }
      if (!response.ok) {
        say(saveStatus, "Not saved: " + (await response.text()).trim(), true);
        return;
      }
      const saved = await response.json();
      say(saveStatus, "Saved as " + saved.file + " (cspscore whatif --scenario " + saved.file + ")", false);
    } catch (error) {
      say(saveStatus, "The server did not answer: is cspscore serve still running?", true);
    }
  });

  // Sweep one parameter over a range: where each issue enters and leaves the priorities.
  const sweepForm = document.getElementById("sweep-form");
  if (!sweepForm) return;
  const sweepPath = document.getElementById("sweep-path");
  const sweepStatus = document.getElementById("sweep-status");
  const sweepTable = document.querySelector("#sweep table.sweep");
  sweepPath.addEventListener("change", () => {
    const base = sweepPath.selectedOptions[0].dataset.base;
    document.getElementById("sweep-start").value = base;
    document.getElementById("sweep-stop").value = base;
  });
  sweepForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = new URLSearchParams({
      path: sweepPath.value,
      start: document.getElementById("sweep-start").value,
      stop: document.getElementById("sweep-stop").value,
      step: document.getElementById("sweep-step").value,
    });
    say(sweepStatus, "Working…", false);
    let response;
    try {
      response = await fetch("/api/sweep?" + query.toString(), { cache: "no-store" });
    } catch (error) {
      say(sweepStatus, "The server did not answer: is cspscore serve still running?", true);
      return;
    }
    if (!response.ok) {
      say(sweepStatus, "Not swept: " + (await response.text()).trim(), true);
      sweepTable.hidden = true;
      return;
    }
    const sweep = await response.json();
    const body = sweepTable.querySelector("tbody");
    body.replaceChildren();
    let flipping = 0;
    for (const issue of sweep.issues) {
      const tr = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = issue.issue + (issue.area ? " (" + issue.area + ")" : "");
      tr.append(name, cell(ranges(issue.runs, true)), cell(ranges(issue.runs, false)));
      tr.append(cell(issue.flips.join(", ") || "never"));
      if (issue.flips.length) flipping += 1;
      body.append(tr);
    }
    sweepTable.querySelector("caption").textContent =
      sweep.path + " (as written: " + sweep.value + "), " + sweep.values + " values";
    sweepTable.hidden = false;
    say(
      sweepStatus,
      flipping + " of " + sweep.issues.length + " issues flip in this range" +
        (sweep.skipped ? "; " + sweep.skipped + " values skipped: the bands would overlap or leave a gap" : "") +
        ".",
      false,
    );
  });

  function ranges(runs, priority) {
    const mine = runs.filter((run) => run.priority === priority);
    if (mine.length === 0) return "none";
    return mine.map((run) => (run.from === run.to ? run.from : run.from + " to " + run.to)).join("; ");
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }
})();
