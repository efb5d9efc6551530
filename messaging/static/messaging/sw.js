/* Linli's service worker: shows a pushed notification (title, masked text)
   and opens its link when clicked. Linli's own code (no library). */
"use strict";
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
