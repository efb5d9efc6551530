// The field app (fieldwork/app.html): "my follow-ups" and the visit form,
// working without a connection. The list is drawn from what the phone keeps
// (window.linliField, fieldwork/store.js) and refreshed from the server when
// online; a visit saved here goes into the queue (IndexedDB, with its photos
// and signature) under a UUID made when the form was opened, and is sent as
// a multipart post to the server, which saves it once whatever the number of
// retries, tabs or taps. A conflict (a colleague's visit meanwhile, a card
// changed, the person moved away or died) comes back unsaved and waits in the
// queue for the worker's choice: keep both, discard mine, or edit.
// Everything is drawn with textContent: no resident's data is ever parsed as HTML.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("field");
  const F = window.linliField;
  if (!root || !F) return;
  const user = document.body.dataset.user;
  const T = {};
  document
    .getElementById("field-texts")
    .content.querySelectorAll("[data-t]")
    .forEach((el) => (T[el.dataset.t] = el.textContent));
  const say = (key, values = {}) => T[key].replace(/\{(\w+)\}/g, (_m, k) => String(values[k] ?? ""));
  const $ = (role) => root.querySelector(`[data-role=${role}]`);
  const form = $("visit-form");
  const el = (tag, attrs = {}, text = "") => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text) node.textContent = text;
    return node;
  };
  const uuid = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };

  const state = { people: [], queue: [], meta: null, online: navigator.onLine, login: false, note: "", syncing: false };
  const byId = (id) => state.people.find((p) => p.id === Number(id));

  // --- drawing -------------------------------------------------------------
  const status = () => {
    const parts = [state.online ? T.online : T.offline];
    if (state.meta) parts.push(say(state.fresh ? "refreshed" : "kept", { time: window.linliField.when(state.meta.fetched_at) }));
    if (state.note) parts.push(state.note);
    const line = $("status");
    line.textContent = parts.join(" ");
    if (state.login) {
      line.append(" ", say("login"), " ");
      line.append(el("a", { href: root.dataset.loginUrl }, T["login-link"]));
    }
    line.classList.toggle("offline", !state.online);
  };
  const queueItem = (item) => {
    const li = el("li", { class: `field-q field-q-${item.state}`, "data-testid": `queued-${item.person_id}` });
    li.append(el("strong", {}, item.person_name), " ", el("span", { class: "muted" }, say("visit-on", { day: item.day })), " ");
    li.append(el("span", { class: "badge" }, item.state === "waiting" ? T.waiting : item.state === "sending" ? T.sending : ""));
    const problems = item.state === "conflict" ? item.conflicts : item.state === "invalid" ? item.errors : [];
    if (problems && problems.length) {
      const box = el("div", { class: "field-problem", role: "alert", "data-testid": `${item.state}-${item.person_id}` });
      box.append(el("p", {}, item.state === "conflict" ? T.conflict : T.invalid));
      const ul = el("ul");
      problems.forEach((m) => ul.append(el("li", {}, m)));
      box.append(ul);
      const actions = el("div", { class: "actions" });
      if (item.state === "conflict") {
        const keep = el("button", { type: "button", class: "primary", "data-testid": "keep-both" }, T["keep-both"]);
        keep.addEventListener("click", () => resolve(item, "keep"));
        actions.append(keep);
      }
      const edit = el("button", { type: "button", "data-testid": "edit-mine" }, T.edit);
      edit.addEventListener("click", () => (location.hash = `#e${item.id}`));
      const discard = el("button", { type: "button", class: "danger", "data-testid": "discard-mine" }, T.discard);
      discard.addEventListener("click", () => resolve(item, "discard"));
      actions.append(edit, discard);
      box.append(actions);
      li.append(box);
    }
    return li;
  };
  const drawQueue = () => {
    const section = $("queue");
    const list = $("queue-list");
    list.replaceChildren(...state.queue.map(queueItem));
    $("queue-count").textContent = String(state.queue.length);
    section.hidden = state.queue.length === 0;
    F.noteWaiting(state.queue.length);
  };
  const row = (p) => {
    const li = el("li", { class: `fu-row fu-${p.card}${p.overdue ? " fu-overdue" : ""}`, "data-testid": `field-row-${p.id}` });
    const main = el("div", { class: "fu-main" });
    main.append(el("span", { class: `badge ${p.card}` }, p.card_label), " ");
    main.append(el("a", { class: "fu-name", href: `#p${p.id}`, "data-testid": `open-${p.id}` }, p.name), " ");
    main.append(el("span", { class: "muted" }, p.community));
    const due = el("div", { class: "fu-due" });
    if (p.overdue) due.append(el("strong", { class: "fu-late" }, T.overdue), " ");
    if (p.next_due) due.append(el("span", {}, `${T.due} ${p.next_due}`), " ");
    if ("last_visit_on" in p) due.append(el("span", { class: "muted" }, `${T.last} ${p.last_visit_on || T.never}`));
    li.append(main, due);
    const waiting = state.queue.filter((q) => q.person_id === p.id).length;
    if (waiting) li.append(el("div", { class: "fu-logged" }, `${T.waiting} (${waiting})`));
    return li;
  };
  const drawList = () => {
    $("people").replaceChildren(...state.people.map(row));
    $("empty").hidden = state.people.length > 0;
  };
  const summary = (p) => {
    const dl = $("summary");
    const add = (label, value) => {
      if (value === undefined) return; // not kept (a child)
      dl.append(el("dt", {}, label));
      const dd = el("dd");
      if (label === T.phone && value) dd.append(el("a", { href: `tel:${value}` }, value));
      else dd.textContent = value || "—";
      dl.append(dd);
    };
    dl.replaceChildren();
    add(T.card, p.card_label);
    add(T.community, p.community);
    add(T.address, p.address);
    add(T.phone, p.phone);
    add(T.last, "last_visit_on" in p ? p.last_visit_on || T.never : undefined);
    add(T.due, p.next_due || undefined);
  };
  const draw = () => {
    status();
    drawQueue();
    drawList();
  };

  // --- the form --------------------------------------------------------------
  const fill = (entries) => {
    form.reset();
    const files = {};
    entries.forEach(([name, value]) => {
      const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      fields.forEach((f) => {
        if (f.type === "file") (files[name] = files[name] || []).push(value);
        else if (f.type === "checkbox" || f.type === "radio") f.checked = f.checked || f.value === value;
        else f.value = value;
      });
    });
    Object.entries(files).forEach(([name, list]) => {
      const input = form.querySelector(`input[type=file][name="${CSS.escape(name)}"]`);
      const dt = new DataTransfer();
      list.forEach((file) => dt.items.add(file));
      input.files = dt.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  };
  let editing = null; // the queued item being edited
  const route = () => {
    const hash = location.hash;
    const edit = hash.startsWith("#e") ? state.queue.find((q) => q.id === hash.slice(2)) : null;
    const id = edit ? edit.person_id : hash.startsWith("#p") ? Number(hash.slice(2)) : null;
    const listView = $("list-view");
    const personView = $("person-view");
    if (!id) {
      personView.hidden = true;
      listView.hidden = false;
      editing = null;
      return;
    }
    const p = byId(id) || (edit && { id, name: edit.person_name, known: edit.known });
    listView.hidden = true;
    personView.hidden = false;
    $("person-name").textContent = p ? p.name : T.unknown;
    if (p && p.card) summary(p);
    else $("summary").replaceChildren();
    if (!form) return;
    form.hidden = !p;
    editing = edit;
    if (edit) {
      fill(edit.entries);
      form.dataset.qid = edit.id;
    } else {
      form.reset();
      form.dataset.qid = uuid();
      const day = form.querySelector("[name=visited_on]");
      if (day) day.value = today();
    }
    form.dataset.person = String(id);
    window.scrollTo(0, 0);
  };

  const save = async (event) => {
    event.preventDefault();
    const button = form.querySelector("[type=submit]");
    if (button.disabled) return; // a double tap
    button.disabled = true;
    try {
      if (form.linliPhotosReady) await form.linliPhotosReady;
      const id = Number(form.dataset.person);
      const p = byId(id) || (editing && { id, name: editing.person_name, known: editing.known });
      const entries = [];
      for (const [name, value] of new FormData(form)) {
        if (name === "_once" || name === "_based_on") continue;
        if (value instanceof Blob && value.size === 0) continue; // an empty file input
        entries.push([name, value]);
      }
      const day = (entries.find(([n]) => n === "visited_on") || [null, ""])[1];
      const item = {
        id: form.dataset.qid,
        person_id: id,
        person_name: p.name,
        entries,
        day,
        known: (editing && editing.current) || p.known || {},
        created: editing ? editing.created : Date.now(),
        state: "waiting",
      };
      await F.put("queue", item);
      state.queue = await F.all("queue");
      state.note = say("queued", { name: p.name });
      form.reset();
      delete form.dataset.qid;
      location.hash = "";
      draw();
      sync();
    } finally {
      button.disabled = false;
    }
  };
  if (form) form.addEventListener("submit", save);

  const resolve = async (item, how) => {
    if (how === "discard") {
      if (!window.confirm(T["discard-confirm"])) return;
      await F.del("queue", item.id);
    } else {
      await F.put("queue", { ...item, state: "waiting", confirm: true });
    }
    state.queue = await F.all("queue");
    draw();
    if (how === "keep") sync();
  };

  // --- the server --------------------------------------------------------------
  const isJson = (r) => (r.headers.get("Content-Type") || "").includes("json");
  const refresh = async () => {
    let r;
    try {
      r = await fetch(root.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch {
      state.online = false;
      return false;
    }
    state.online = true;
    if (r.redirected || !r.ok || !isJson(r)) {
      state.login = r.redirected || r.status === 401 || r.status === 403;
      return false;
    }
    const data = await r.json();
    if (String(data.user) !== String(user)) return false;
    state.login = false;
    state.fresh = true;
    state.meta = { key: "data", user: data.user, keep_days: data.keep_days, fetched_at: data.fetched_at, csrf: data.csrf };
    data.people.forEach((p, i) => (p.rank = i)); // the server's order of urgency
    state.people = data.people;
    await F.replacePeople(data.people);
    await F.put("meta", state.meta);
    F.noteExpiry(Date.parse(data.fetched_at) + data.keep_days * 86400000);
    return true;
  };
  const send = async (item, retried = false) => {
    const body = new FormData();
    item.entries.forEach(([name, value]) => {
      if (value instanceof Blob) body.append(name, value, value.name || "file");
      else body.append(name, value);
    });
    body.set("_once", item.id);
    body.set("person_id", String(item.person_id));
    body.set("known_visit", String(item.known.visit ?? ""));
    body.set("known_card", item.known.card || "");
    body.set("known_status", item.known.status || "");
    if (item.confirm) body.set("confirm", "1");
    const r = await fetch(root.dataset.sendUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": (state.meta && state.meta.csrf) || "", Accept: "application/json" },
    });
    if (!isJson(r)) {
      // a login page (the session ended) or the CSRF refusal of a stale token
      if (!retried && !r.redirected && r.status === 403 && (await refresh())) return send(item, true);
      state.login = true;
      return "stop";
    }
    const answer = await r.json();
    if (r.status === 200 || r.status === 201) {
      await F.del("queue", item.id);
      const p = byId(item.person_id);
      if (p && "last_visit_on" in p && (!p.last_visit_on || item.day > p.last_visit_on)) p.last_visit_on = item.day;
      state.note = say("sent", { name: item.person_name });
      return "sent";
    }
    if (r.status === 409) {
      await F.put("queue", { ...item, state: "conflict", conflicts: answer.conflicts, current: answer.current });
    } else if (r.status === 404) {
      await F.put("queue", { ...item, state: "invalid", errors: [T.gone] });
    } else if (r.status === 400 || r.status === 422) {
      await F.put("queue", { ...item, state: "invalid", errors: Object.values(answer.errors || {}).flat() });
    } else {
      return "stop"; // the server failed: try again later
    }
    return "kept";
  };
  const sync = async () => {
    if (state.syncing) return;
    state.syncing = true;
    const work = async () => {
      const waiting = (await F.all("queue")).filter((q) => q.state === "waiting").sort((a, b) => a.created - b.created);
      for (const item of waiting) {
        let result;
        try {
          result = await send(item);
        } catch {
          state.online = false; // no connection: the rest waits
          break;
        }
        state.online = true;
        if (result === "stop") break;
      }
    };
    try {
      if (navigator.locks) await navigator.locks.request("linli-field-send", work);
      else await work();
    } finally {
      state.syncing = false;
      state.queue = await F.all("queue");
      draw();
    }
  };
  $("send-now").addEventListener("click", () => refresh().then(sync));

  // --- start ---------------------------------------------------------------------
  const start = async () => {
    await F.ready;
    const dropped = F.takeDropped();
    if (dropped) state.note = say("other-user", { n: dropped });
    const meta = await F.get("meta", "data");
    if (meta && String(meta.user) !== String(user)) {
      await F.wipe();
    } else if (meta && Date.now() > Date.parse(meta.fetched_at) + meta.keep_days * 86400000) {
      await F.dropList();
      state.note = say("expired", { days: meta.keep_days });
    } else if (meta) {
      state.meta = meta;
      state.people = await F.all("people");
      state.people.sort((a, b) => a.rank - b.rank);
    }
    state.queue = await F.all("queue");
    draw();
    route();
    window.addEventListener("hashchange", route);
    if (await refresh()) {
      draw();
      route();
    }
    status();
    sync();
  };
  window.addEventListener("online", () => {
    state.online = true;
    refresh().then(sync);
  });
  window.addEventListener("offline", () => {
    state.online = false;
    status();
  });
  setInterval(() => {
    if (state.queue.some((q) => q.state === "waiting")) refresh().then(sync);
  }, 30000);
  start();
});
