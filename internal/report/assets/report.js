// The report's tables, drawn from the JSON in #data. Every text goes in
// through textContent, never as markup: register names are data.
"use strict";
(function () {
  const R = JSON.parse(document.getElementById("data").textContent);
  const app = document.getElementById("app");
  const PAGE = 100;
  app.textContent = "";

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  const num = (n) => el("td", { class: "num" }, n);
  const person = (i) => R.people[i];
  const label = (i) => { const p = person(i); return p.name ? p.name + " <" + p.key + ">" : p.key; };

  // Bar chart as inline SVG: rows of [label, [values...]].
  function bars(id, rows, legend) {
    const max = Math.max(1, ...rows.flatMap((r) => r[1]));
    const h = 18, w = 760, lw = 200, room = 160;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("id", id);
    svg.setAttribute("width", w);
    svg.setAttribute("height", rows.length * h * legend.length + 24);
    svg.setAttribute("role", "img");
    let y = 0;
    for (const [name, values] of rows) {
      values.forEach((v, j) => {
        const t = document.createElementNS(svg.namespaceURI, "text");
        t.setAttribute("x", 0); t.setAttribute("y", y + 13);
        t.textContent = j === 0 ? (name || "(organiser and manual)") : "";
        const r = document.createElementNS(svg.namespaceURI, "rect");
        r.setAttribute("x", lw); r.setAttribute("y", y + 3);
        r.setAttribute("width", Math.max(1, (w - lw - room) * v / max)); r.setAttribute("height", h - 6);
        r.setAttribute("fill", j === 0 ? "var(--bar)" : "var(--bar2)");
        const n = document.createElementNS(svg.namespaceURI, "text");
        n.setAttribute("x", lw + Math.max(1, (w - lw - room) * v / max) + 4); n.setAttribute("y", y + 13);
        n.textContent = v + " " + legend[j];
        svg.append(t, r, n);
        y += h;
      });
    }
    return svg;
  }

  // Sortable table of plain rows (arrays of cell values).
  function simpleTable(id, headers, rows) {
    const tbody = el("tbody");
    const table = el("table", { id }, el("thead", {}, el("tr", {}, ...headers.map((h, c) =>
      el("th", { class: "sortable", onclick: (ev) => sortBy(ev.target, c) }, h)))), tbody);
    let shown = rows.slice();
    function draw() {
      tbody.textContent = "";
      for (const r of shown) tbody.append(el("tr", {}, ...r.map((v) => typeof v === "number" ? num(v) : el("td", {}, v))));
    }
    function sortBy(th, c) {
      const dir = th.dataset.dir === "asc" ? "desc" : "asc";
      table.querySelectorAll("th").forEach((x) => delete x.dataset.dir);
      th.dataset.dir = dir;
      shown.sort((a, b) => (a[c] < b[c] ? -1 : a[c] > b[c] ? 1 : 0) * (dir === "asc" ? 1 : -1));
      draw();
    }
    draw();
    return table;
  }

  // Filters shared by every target's table.
  const schools = [...new Set(R.targets.flatMap((t) => t.rooms.map((r) => r.school || "")))].sort();
  const kinds = [...new Set(R.targets.flatMap((t) => t.rooms.map((r) => r.kind)))].sort();
  const states = ["InSync", "Drifted", "Missing", "Orphaned"];
  const f = { text: "", school: null, kind: null, state: null };
  const redraws = [];
  const redraw = () => redraws.forEach((fn) => fn());
  const select = (id, what, values) => el("select", { id, onchange: (ev) => { f[what] = ev.target.value === "" ? null : ev.target.value; redraw(); } },
    el("option", { value: "" }, "every " + what), ...values.map((v) => el("option", { value: v }, v || "(organiser and manual)")));
  const filters = el("div", { class: "filters" },
    el("input", { type: "search", id: "search", placeholder: "Search rooms and people", "aria-label": "Search rooms and people",
      oninput: (ev) => { f.text = ev.target.value.trim().toLowerCase(); redraw(); } }),
    select("filter-school", "school", schools), select("filter-kind", "kind", kinds), select("filter-state", "state", states));

  function matches(r) {
    if (f.school !== null && (r.school || "") !== f.school) return false;
    if (f.kind !== null && r.kind !== f.kind) return false;
    if (f.state !== null && r.state !== f.state) return false;
    if (f.text === "") return true;
    if (r.name.toLowerCase().includes(f.text) || (r.observedName || "").toLowerCase().includes(f.text)) return true;
    const lists = [r.owners, r.members, r.extraOwners || [], r.extraMembers || []];
    return lists.some((l) => l.some((i) => label(i).toLowerCase().includes(f.text)));
  }

  function peopleList(r) {
    const missing = new Set([...(r.missingOwners || []), ...(r.missingMembers || [])]);
    const item = (i, cls) => el("li", { class: cls }, label(i));
    const section = (title, desired, extra) => [el("h3", {}, title + " (" + (desired.length + extra.length) + ")"),
      el("ul", { class: "people" }, ...desired.map((i) => item(i, missing.has(i) ? "missing" : "")), ...extra.map((i) => item(i, "extra")))];
    return [...section("Owners", r.owners, r.extraOwners || []), ...section("Members", r.members, r.extraMembers || []),
      r.protected ? el("p", { class: "hint" }, r.protected + " people with a protected identity are in this room and not listed.") : null];
  }

  function roomTable(t, n) {
    const cols = [["school", "School"], ["kind", "Kind"], ["name", "Room"], ["state", "State"], ["owners", "Owners"], ["members", "Members"], ["drift", "Drift"]];
    const tbody = el("tbody");
    const matchCount = el("span", { class: "matches", id: "matches-" + n });
    const pageInfo = el("span", { class: "page" });
    let page = 0, sort = null, dir = 1;
    const value = (r, c) => c === "owners" || c === "members" ? r[c].length : c === "drift" ? (r.drift || []).join(",") : (r[c] || "");
    const table = el("table", { id: "rooms-" + n, "data-total": t.rooms.length },
      el("thead", {}, el("tr", {}, ...cols.map(([c, h]) => el("th", { class: "sortable" + (c === "owners" || c === "members" ? " num" : ""),
        onclick: (ev) => { dir = sort === c ? -dir : 1; sort = c; table.querySelectorAll("th").forEach((x) => delete x.dataset.dir);
          ev.target.dataset.dir = dir > 0 ? "asc" : "desc"; page = 0; draw(); } }, h)))), tbody);
    const prev = el("button", { type: "button", onclick: () => { page--; draw(); } }, "previous");
    const next = el("button", { type: "button", onclick: () => { page++; draw(); } }, "next");
    function draw() {
      let rows = t.rooms.filter(matches);
      if (sort) rows = rows.slice().sort((a, b) => { const x = value(a, sort), y = value(b, sort); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
      const pages = Math.max(1, Math.ceil(rows.length / PAGE));
      page = Math.min(Math.max(0, page), pages - 1);
      matchCount.textContent = rows.length;
      pageInfo.textContent = "page " + (page + 1) + " of " + pages;
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
      tbody.textContent = "";
      for (const r of rows.slice(page * PAGE, (page + 1) * PAGE)) {
        const drift = el("td", {}, ...(r.drift || []).map((d) => el("span", { class: "badge warn" }, d)),
          r.observedName ? el("span", { class: "hint" }, " named “" + r.observedName + "” in the target") : null,
          r.archived ? el("span", { class: "badge" }, "archived") : null);
        const tr = el("tr", { class: "room " + r.state.toLowerCase(), "data-state": r.state, "data-key": r.key },
          el("td", {}, r.school || ""), el("td", {}, r.kind), el("td", {}, r.name), el("td", {}, r.state),
          num(r.owners.length), num(r.members.length), drift);
        tr.addEventListener("click", () => {
          if (tr.nextSibling && tr.nextSibling.classList.contains("details")) { tr.nextSibling.remove(); return; }
          tr.after(el("tr", { class: "details" }, el("td", { colspan: cols.length }, ...peopleList(r))));
        });
        tbody.append(tr);
      }
    }
    redraws.push(draw);
    draw();
    return [el("p", { class: "hint" }, matchCount, " of " + t.rooms.length + " rooms match. Click a room for its people."),
      table, el("div", { class: "pager" }, prev, pageInfo, next)];
  }

  // Overview.
  app.append(el("h2", {}, "Targets"));
  app.append(el("div", { class: "cards" }, ...R.targets.map((t, n) => el("div", { class: "card", id: "target-" + n },
    el("h3", {}, t.name + " · " + t.platform + " · mode " + t.mode),
    el("dl", {}, ...[["rooms managed", t.inventory.managed || 0], ["in sync", t.inventory.inSync || 0], ["drifted", t.inventory.drifted || 0],
      ["missing", t.inventory.missing || 0], ["orphaned", t.inventory.orphaned || 0]].flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
    ...(t.notHeld || []).map((x) => el("p", { class: "hint" }, x.count + " rooms not held: " + x.why))))));
  app.append(el("h3", {}, "What each plan would do now"));
  app.append(bars("chart-actions", R.targets.map((t) => [t.name, [t.summary.creates + t.summary.updates + t.summary.archives + t.summary.deletes,
    t.summary.memberAdds + t.summary.memberRemoves + t.summary.ownerAdds + t.summary.ownerRemoves]]), ["room changes", "people changes"]));

  app.append(el("h2", {}, "Schools"));
  app.append(bars("chart-schools", R.schools.map((s) => [s.name, [Object.values(s.rooms).reduce((a, b) => a + b, 0), s.memberships]]), ["rooms", "memberships"]));
  app.append(simpleTable("schools", ["School", "Rooms", "Memberships", "By kind"], R.schools.map((s) =>
    [s.name || "(organiser and manual)", Object.values(s.rooms).reduce((a, b) => a + b, 0), s.memberships,
      Object.entries(s.rooms).map(([k, v]) => v + " " + k).join(", ")])));

  app.append(el("h2", {}, "Rooms"));
  app.append(filters);
  R.targets.forEach((t, n) => { app.append(el("h3", {}, t.name + " (" + t.platform + ")")); app.append(...roomTable(t, n)); });

  app.append(el("h2", {}, "People left out"));
  app.append(simpleTable("leftout-counts", ["Reason", "People"], R.leftOut.counts.map((c) => [c.reason, c.count])));
  app.append(el("p", { class: "hint" }, "People with a protected identity (SecurityMarking) are only counted, never named."));
  app.append(simpleTable("leftout", ["Name", "Reason", "School"], R.leftOut.people.map((p) => [p.name, p.reason, p.school || ""])));

  app.append(el("h2", {}, "Data-quality findings"));
  app.append(simpleTable("findings", ["Finding", "Count", "Rooms"], R.findings.map((x) => [x.reason, x.count, (x.rooms || []).join(", ")])));
  document.body.dataset.ready = "true";
})();
