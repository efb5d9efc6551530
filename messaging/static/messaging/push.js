/* "允许浏览器通知": subscribe this browser to Web Push (VAPID) and send the
   subscription to Linli; or withdraw it. Linli's own code (no library). */
(function () {
  "use strict";
  var allow = document.getElementById("push-allow");
  var remove = document.getElementById("push-remove");
  var state = document.getElementById("push-state");
  if (!allow) return;

  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function post(body) {
    var token = document.querySelector("#push-form [name=csrfmiddlewaretoken]").value;
    return fetch(allow.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(body)
    }).then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }
  function say(text) { state.textContent = text; }
  function registration() {
    // the site's one worker (fieldwork: offline shell and push), at the root scope
    return navigator.serviceWorker.register(allow.dataset.worker, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    allow.disabled = true; remove.disabled = true; say(allow.dataset.unsupported); return;
  }
  allow.addEventListener("click", function () {
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") { say(allow.dataset.denied); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(allow.dataset.key)});
      }).then(function (sub) { return post(sub.toJSON()); }).then(function () { say(allow.dataset.done); });
    }).catch(function (e) { say(String(e)); });
  });
  remove.addEventListener("click", function () {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) { say(remove.dataset.done); return null; }
      var endpoint = sub.endpoint;
      return sub.unsubscribe().then(function () { return post({endpoint: endpoint, remove: true}); })
        .then(function () { say(remove.dataset.done); });
    }).catch(function (e) { say(String(e)); });
  });
})();
