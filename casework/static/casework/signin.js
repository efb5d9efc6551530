/* Sign-in by QR code (casework/templates/casework/signin_public.html).
 *
 * Each sign-in gets a client id (a UUID, sent as `_once`) the moment it is
 * made, and is kept in localStorage until the server has answered: a double
 * tap or a retry sends the same id and signs in once. Without a connection the
 * sign-in waits ("待发送") and is sent again when the phone is back online,
 * when the page is opened again, and every 20 seconds while it waits. */
(function () {
  "use strict";
  var KEY = "linli-signin-queue";
  var form = document.querySelector("form[data-signin]");
  if (!form) return;
  var done = document.querySelector("[data-testid=signin-result]");
  var queued = document.querySelector("[data-testid=signin-queued]");
  var button = form.querySelector("button[type=submit]");
  var sending = false;
  var memory = [];  // when localStorage is refused (private mode), while the page is open

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return memory.slice(); }
  }
  function save(items) {
    memory = items.slice();
    try {
      if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
      else localStorage.removeItem(KEY);
    } catch (e) { /* private mode: the sign-in is still sent while the page is open */ }
  }
  function show(el, text) {
    el.textContent = text;
    el.hidden = !text;
  }
  function forget(id) {
    save(load().filter(function (x) { return x.id !== id; }));
  }
  function body(item) {
    var p = new URLSearchParams();
    Object.keys(item.data).forEach(function (k) { p.append(k, item.data[k]); });
    return p.toString();
  }
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body(item)
    }).then(function (r) {
      // Any answer of the server settles the sign-in: signed in, or refused with a reason.
      forget(item.id);
      return r.json().then(function (j) { return j; }, function () { return { ok: false, message: form.dataset.failed }; });
    });
  }
  function flush() {
    if (sending) return;
    var items = load();
    if (!items.length) { show(queued, ""); return; }
    sending = true;
    var item = items[0];
    send(item).then(function (answer) {
      sending = false;
      show(queued, load().length ? form.dataset.queued : "");
      show(done, answer.message || "");
      done.className = "notice " + (answer.ok ? "done" : "refused");
      if (answer.ok && item.current) form.reset();
      if (load().length) flush();
    }, function () {
      sending = false;  // no connection: it waits
      show(queued, form.dataset.queued);
    }).then(function () { button.disabled = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) return;  // a double tap sends once
    button.disabled = true;
    var data = {};
    new FormData(form).forEach(function (v, k) { data[k] = v; });
    data._once = uuid();
    var items = load().map(function (x) { x.current = false; return x; });
    items.push({ id: data._once, url: window.location.pathname + window.location.search, data: data, current: true });
    save(items);
    show(done, "");
    show(queued, form.dataset.sending);
    flush();
  });
  window.addEventListener("online", flush);
  setInterval(function () { if (load().length) flush(); }, 20000);
  flush();
})();
