/* Linli's one service worker (root scope): keeps the field app's shell for
   work without a connection, and shows Web Push notifications (merged from
   messaging's worker). Linli's own code, no library. Only the shell and its
   static files are cached here; residents' data lives in IndexedDB
   (fieldwork/store.js) and never passes through this cache. */
"use strict";
var CONFIG = {{ config|safe }};

// The shell page is kept only as the logged-in user sees it: never a login
// page that a redirect would put in its place.
function keepShell(cache) {
  return fetch(CONFIG.shell, {credentials: "same-origin"}).then(function (response) {
    if (response.ok && !response.redirected) return cache.put(CONFIG.shell, response);
    return null;
  }).catch(function () { return null; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CONFIG.cache).then(function (cache) {
    return cache.addAll(CONFIG.assets).then(function () { return keepShell(cache); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf(CONFIG.prefix) === 0 && k !== CONFIG.cache;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isShell(url) { return url.origin === self.location.origin && url.pathname === CONFIG.shell; }

// The shell page: answered from the cache at once when it is there (fast on
// 3G, works offline) and refreshed from the network behind it. A login page
// or an error is never kept in place of the shell.
function shell(request) {
  return caches.open(CONFIG.cache).then(function (cache) {
    return cache.match(CONFIG.shell).then(function (cached) {
      var fresh = fetch(request, {credentials: "same-origin", redirect: "follow"}).then(function (response) {
        if (response.ok && !response.redirected) cache.put(CONFIG.shell, response.clone());
        return response;
      });
      if (cached) { fresh.catch(function () { return null; }); return cached; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isShell(url)) { event.respondWith(shell(request)); return; }
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    // Any other page without a connection: the field app, if this phone keeps it.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(CONFIG.cache).then(function (cache) { return cache.match(CONFIG.shell); }).then(function (hit) {
        return hit ? Response.redirect(CONFIG.shell, 302) : Response.error();
      });
    }));
  }
});

// --- Web Push (messaging): a masked title and text, and the link ----------
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {title: "Linli"}; }
  event.waitUntil(self.registration.showNotification(data.title || "Linli", {
    body: data.body || "", data: {url: data.url || "/"}, lang: "zh-CN", tag: data.url || undefined
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
