// What the field app keeps on the phone, and when it goes (every page loads
// this; Linli's own code, no library):
// - window.linliField: a small promise API over one IndexedDB database,
//   "linli-field", with three stores: meta (when the list was fetched, for
//   whom, for how many days), people (the user's follow-ups, the minimum a
//   visit needs) and queue (visits saved offline, with their files);
// - registers the one service worker of the site (root scope: the offline
//   shell and Web Push);
// - drops everything on logout (asking first when visits are still waiting),
//   when another user logs in on this phone, and once the list is older than
//   the district's number of days (visits waiting to be sent stay);
// - the "what this phone keeps" page: counts and "clear it now".
(() => {
  const me = document.currentScript;
  const DB = "linli-field";
  const USER = "linli-field-user";
  const WAITING = "linli-field-waiting";
  const EXPIRES = "linli-field-expires";
  const DROPPED = "linli-field-dropped";
  const local = (() => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })();

  let opened = null;
  const open = () => {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore("meta", { keyPath: "key" });
          db.createObjectStore("people", { keyPath: "id" });
          db.createObjectStore("queue", { keyPath: "id" });
        };
        req.onsuccess = () => {
          req.result.onversionchange = () => req.result.close(); // a wipe in another tab
          resolve(req.result);
        };
        req.onerror = () => reject(req.error);
      });
    }
    return opened;
  };
  const run = (store, mode, act) =>
    open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction(store, mode);
          const req = act(tx.objectStore(store));
          tx.oncomplete = () => resolve(req ? req.result : undefined);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        }),
    );
  const api = {
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    all: (store) => run(store, "readonly", (s) => s.getAll()),
    count: (store) => run(store, "readonly", (s) => s.count()),
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    del: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    clear: (store) => run(store, "readwrite", (s) => s.clear()),
    replacePeople: (people) =>
      open().then(
        (db) =>
          new Promise((resolve, reject) => {
            const tx = db.transaction("people", "readwrite");
            const s = tx.objectStore("people");
            s.clear();
            people.forEach((p) => s.put(p));
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          }),
      ),
    // The number of visits waiting, mirrored where the logout button can read it at once.
    noteWaiting: (n) => local && local.setItem(WAITING, String(n)),
    waiting: () => Number((local && local.getItem(WAITING)) || 0),
    noteExpiry: (at) => local && local.setItem(EXPIRES, String(at)),
    // Remove the people and the meta row (the list expired); the queue stays.
    dropList: () => Promise.all([api.clear("people"), api.clear("meta")]).then(() => local && local.removeItem(EXPIRES)),
    wipe: () => {
      const gone = new Promise((resolve) => {
        const finish = () => {
          opened = null;
          const req = indexedDB.deleteDatabase(DB);
          req.onsuccess = req.onerror = req.onblocked = () => resolve();
        };
        if (opened) opened.then((db) => db.close(), () => null).then(finish);
        else finish();
      });
      const caches_ = window.caches
        ? caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("linli-")).map((k) => caches.delete(k))))
        : Promise.resolve();
      [WAITING, EXPIRES].forEach((k) => local && local.removeItem(k));
      const timeout = new Promise((resolve) => setTimeout(resolve, 2000));
      return Promise.race([Promise.all([gone, caches_]), timeout]);
    },
    takeDropped: () => {
      const n = Number((local && local.getItem(DROPPED)) || 0);
      if (local) local.removeItem(DROPPED);
      return n;
    },
    ready: Promise.resolve(), // settles once a wipe started by this script is done
    // A moment as every Linli page writes one: local YYYY-MM-DD HH:MM.
    when: (iso) => {
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return "—";
      const two = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
    },
  };
  window.linliField = api;

  const user = document.body.dataset.user;

  // Logging out removes what the phone keeps (the server also sends
  // Clear-Site-Data); visits not yet sent are never removed without asking.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!form.matches("[data-logout]") || form.dataset.fieldCleared) return;
      event.preventDefault();
      if (api.waiting() > 0 && !window.confirm(me.dataset.logoutWaiting.replace("{n}", api.waiting()))) {
        event.stopPropagation(); // keep the drafts too (core/js/session.js)
        return;
      }
      if (local) local.removeItem(USER);
      api.wipe().then(() => {
        form.dataset.fieldCleared = "1";
        form.submit();
      });
    },
    true,
  );
  if (!user || !local) return;

  // Another user on this phone: nothing of the former one stays.
  const former = local.getItem(USER);
  if (former && former !== user) {
    const dropped = api.waiting();
    api.ready = api.wipe().then(() => {
      if (dropped) local.setItem(DROPPED, String(dropped));
    });
  } else {
    const expires = Number(local.getItem(EXPIRES) || 0);
    if (expires && Date.now() > expires) api.ready = api.dropList();
  }
  local.setItem(USER, user);

  if ("serviceWorker" in navigator && me.dataset.worker) {
    navigator.serviceWorker.register(me.dataset.worker, { scope: "/" }).catch(() => null);
  }

  // The "what this phone keeps" page.
  const page = document.getElementById("field-storage");
  if (!page) return;
  const show = () =>
    Promise.all([api.count("people"), api.count("queue"), api.get("meta", "data")]).then(([people, queue, meta]) => {
      page.querySelector("[data-role=people]").textContent = String(people);
      page.querySelector("[data-role=waiting]").textContent = String(queue);
      page.querySelector("[data-role=fetched]").textContent = meta ? api.when(meta.fetched_at) : "—";
      return queue;
    });
  show();
  page.querySelector("[data-role=clear]").addEventListener("click", () => {
    api.count("queue").then((queue) => {
      if (queue > 0 && !window.confirm(page.dataset.confirmWaiting)) return;
      api.wipe().then(() => {
        page.querySelector("[data-role=said]").textContent = page.dataset.cleared;
        show();
      });
    });
  });
})();
