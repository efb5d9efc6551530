// Session expiry and unsent drafts, for field work on phones:
// - forms marked data-draft="<key>" keep what the user types in localStorage
//   (per user and key), restore it when shown again (after a re-login, say)
//   and drop it once saved, on "cancel", on logout and after data-draft-ttl;
// - the page warns data-session-warn seconds before the idle timeout and
//   renews the session while the user types (at most every data-session-renew
//   seconds). Texts come from the <template>s in core/_session.html: CSP
//   allows no inline script or style.
(() => {
  const body = document.body;
  const user = body.dataset.user; // absent when nobody is logged in
  const PREFIX = "linli-draft:";
  const PENDING = "linli-draft-pending"; // sessionStorage: a normal POST under way
  const store = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage disabled: the page works, without drafts
    }
  })();
  if (!store) return;

  const draftKeys = () => {
    const keys = [];
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  };
  const clearAll = () => draftKeys().forEach((key) => store.removeItem(key));

  // Logging out removes every draft on this device (the server also sends
  // Clear-Site-Data). Registered on every page, the logout form is on all.
  document.addEventListener("submit", (event) => {
    if (event.target.matches("[data-logout]")) clearAll();
  });
  if (!user) return; // the login page: keep drafts for whoever logs in again

  const mine = `${PREFIX}${user}:`;
  const ttl = Number(body.dataset.draftTtl) * 1000;
  const keyOf = (form) => mine + form.dataset.draft;
  const formFor = (key, root = document) =>
    Array.from(root.querySelectorAll("form[data-draft]")).find((f) => keyOf(f) === key);

  const read = (key) => {
    try {
      const draft = JSON.parse(store.getItem(key));
      if (draft && Date.now() - draft.t < ttl) return draft;
    } catch {
      // unreadable: dropped below
    }
    store.removeItem(key);
    return null;
  };
  // Another user's drafts never stay on a shared phone; old ones expire.
  draftKeys().forEach((key) => (key.startsWith(mine) ? read(key) : store.removeItem(key)));

  const SKIP = ["hidden", "password", "file", "submit", "button", "reset"];
  const fields = (form) => Array.from(form.elements).filter((el) => el.name && !SKIP.includes(el.type));
  const snapshot = (form) => {
    const values = {};
    fields(form).forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === "select-multiple") {
        values[el.name] = Array.from(el.selectedOptions, (o) => o.value);
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  };
  const fill = (form, values) => {
    fields(form).forEach((el) => {
      if (!(el.name in values)) return;
      const value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") el.checked = value.includes(el.value);
      else if (el.type === "select-multiple") Array.from(el.options).forEach((o) => (o.selected = value.includes(o.value)));
      else el.value = value;
    });
  };
  const fromTemplate = (id) => document.getElementById(id).content.firstElementChild.cloneNode(true);

  const restore = (form) => {
    if (form.dataset.draftSeen) return;
    form.dataset.draftSeen = "1";
    const draft = read(keyOf(form));
    if (!draft) return;
    const shown = snapshot(form);
    if (JSON.stringify(shown) === JSON.stringify(draft.v)) return; // re-shown with its own values
    fill(form, draft.v);
    const notice = fromTemplate("draft-notice-tpl");
    notice.querySelector("[data-role=discard]").addEventListener("click", () => {
      store.removeItem(keyOf(form));
      fill(form, shown);
      notice.remove();
    });
    form.before(notice);
    notice.scrollIntoView({ block: "nearest" });
  };
  const scan = (root) => {
    if (root.matches && root.matches("form[data-draft]")) restore(root);
    if (root.querySelectorAll) root.querySelectorAll("form[data-draft]").forEach(restore);
  };

  const remember = (event) => {
    const form = event.target.form;
    if (form && form.matches("[data-draft]")) store.setItem(keyOf(form), JSON.stringify({ t: Date.now(), v: snapshot(form) }));
  };
  document.addEventListener("input", remember);
  document.addEventListener("change", remember);
  document.addEventListener("click", (event) => {
    const cancel = event.target.closest("[data-draft-discard]");
    if (cancel && cancel.form) store.removeItem(keyOf(cancel.form));
    else if (cancel) store.removeItem(mine + cancel.dataset.draftDiscard);
  });

  // A normal POST: the draft goes once a page reports success without the
  // form; a login or two-factor page in between keeps it.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-draft]") && !form.hasAttribute("hx-post")) sessionStorage.setItem(PENDING, keyOf(form));
  });
  const pending = sessionStorage.getItem(PENDING);
  if (pending && formFor(pending)) sessionStorage.removeItem(PENDING);
  else if (pending && document.querySelector(".messages .msg-success")) {
    store.removeItem(pending);
    sessionStorage.removeItem(PENDING);
  }
  // An htmx form is saved when the answer replaced it (errors re-render it).
  // beforeSwap, not afterRequest: an outerHTML swap of the row detaches both
  // the form and its target, and events on them no longer reach document.
  // (An HX-Redirect to the login page swaps nothing: the draft stays.)
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = event.detail.requestConfig && event.detail.requestConfig.elt; // detail.elt is the target
    if (!form || !form.matches("form[data-draft]") || event.detail.isError) return;
    const key = keyOf(form);
    setTimeout(() => {
      if (!formFor(key)) store.removeItem(key);
    }, 50);
  });

  document.addEventListener("htmx:load", (event) => scan(event.target));
  const start = () => {
    scan(document);
    // A list row whose inline form has a draft opens that form again.
    document.querySelectorAll("[data-draft-opener]").forEach((opener) => {
      if (read(mine + opener.dataset.draftOpener)) opener.click();
    });
  };

  // --- idle timeout: warning and keep-alive -------------------------------
  const warnMs = Number(body.dataset.sessionWarn) * 1000;
  const renewMs = Number(body.dataset.sessionRenew) * 1000;
  const SYNC = `linli-session:${user}`; // deadline shared between this user's tabs
  let deadline = Date.now() + Number(body.dataset.sessionLeft) * 1000;
  let lastPing = Date.now();
  let banner = null;
  let ended = false;

  const setLeft = (seconds, share = true) => {
    deadline = Date.now() + seconds * 1000;
    ended = false;
    if (share) store.setItem(SYNC, String(deadline));
    tick();
  };
  window.addEventListener("storage", (event) => {
    if (event.key === SYNC && Number(event.newValue) > deadline) {
      deadline = Number(event.newValue);
      ended = false;
      tick();
    }
  });
  const csrf = () => {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch {
      return "";
    }
  };
  const ping = async () => {
    lastPing = Date.now();
    try {
      const response = await fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
      if (response.status === 401) {
        ended = true;
        deadline = Date.now();
        tick();
      } else if (response.ok) {
        setLeft((await response.json()).left);
      }
    } catch {
      // offline: the warning stays up; what was typed is in the draft
    }
  };
  const showBanner = () => {
    if (banner) return banner;
    banner = fromTemplate("session-warning-tpl");
    banner.querySelector("[data-role=continue]").addEventListener("click", ping);
    const login = banner.querySelector("[data-role=login]");
    login.href = `${login.href}?next=${encodeURIComponent(location.pathname + location.search)}`;
    body.append(banner);
    return banner;
  };
  const clock = (ms) => {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  function tick() {
    const left = deadline - Date.now();
    if (left > warnMs && !ended) {
      if (banner) banner.hidden = true;
      body.classList.remove("session-warned");
      return;
    }
    const b = showBanner();
    b.hidden = false;
    body.classList.add("session-warned"); // room below the content for the banner
    const over = ended || left <= 0;
    b.querySelector("[data-role=warning]").hidden = over;
    b.querySelector("[data-role=ended]").hidden = !over;
    b.querySelector("[data-role=continue]").hidden = over;
    b.querySelector("[data-role=login]").hidden = !over;
    b.querySelector("[data-role=countdown]").textContent = clock(left);
  }
  // Every answer to an htmx request says how long the session now lasts.
  const learn = (event) => {
    const left = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Session-Left");
    if (left !== null && left !== undefined) setLeft(Number(left));
  };
  document.addEventListener("htmx:beforeSwap", learn);
  document.addEventListener("htmx:afterRequest", learn);
  // Typing renews the session, at most once per renewal interval.
  document.addEventListener("input", (event) => {
    if (event.target.form && !ended && Date.now() - lastPing >= renewMs) ping();
  });

  const begin = () => {
    start();
    tick();
    setInterval(tick, 1000);
  };
  // A deferred script runs before DOMContentLoaded; htmx binds its elements
  // in its own (earlier) listener, so openers can be clicked in this one.
  document.addEventListener("DOMContentLoaded", begin);
})();
