// The list toolkit's browser side (core/lists.py). No inline handlers (CSP).
(function () {
  // The search box is filled from the address bar, never echoed by the server.
  function fillFromUrl(root) {
    var params = new URLSearchParams(window.location.search);
    root.querySelectorAll("input[data-from-url]").forEach(function (input) {
      var value = params.get(input.dataset.fromUrl);
      if (value && !input.value) { input.value = value; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fillFromUrl(document);
    // Typing searches already (delayed); the change on leaving the box would
    // send the form again and race a sort or page click.
    document.querySelectorAll("form.list-filters input[type=search]").forEach(function (input) {
      input.addEventListener("change", function (event) { event.stopPropagation(); });
    });
  });

  // An ID number or a whole phone number (more than four digits, as
  // core.lists.private_search) is posted, never put in an address.
  var NOT_STATE = ["search", "csrfmiddlewaretoken"];
  function isPrivate(term) { return ((term || "").match(/[0-9]/g) || []).length > 4; }

  // Empty fields stay out of the address: "?size=10", not "?q=&unit=&size=10".
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || !event.target.closest(".list-filters, .list-results")) { return; }
    Array.from(data.keys()).forEach(function (key) {
      if (data.getAll(key).every(function (v) { return v === ""; })) { data.delete(key); }
    });
    if (event.detail.verb !== "get") { return; }
    if (isPrivate(data.get("q"))) {
      event.detail.verb = "post";
      event.detail.useUrlParams = false;
      // htmx sets the body's type before this event, for a GET none
      event.detail.headers["Content-Type"] = "application/x-www-form-urlencoded";
      data.set("search", "1");
    } else {
      NOT_STATE.forEach(function (key) { data.delete(key); });
    }
  });

  // Export: the filter form as it stands, as a download (not an htmx swap).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-list-export]");
    if (!button) { return; }
    event.preventDefault();
    if (button.dataset.listConfirm && !window.confirm(button.dataset.listConfirm)) { return; }
    var form = button.form;
    var entries = [];
    new FormData(form).forEach(function (value, key) { if (value !== "") { entries.push([key, value]); } });
    entries.push([button.name, button.value]);
    if (isPrivate(new FormData(form).get("q"))) {
      // A plain form posted outside htmx: the download, the term in its body.
      var post = document.createElement("form");
      post.method = "post";
      post.action = form.action;
      post.hidden = true;
      entries.forEach(function (entry) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = entry[0];
        input.value = entry[1];
        post.appendChild(input);
      });
      document.body.appendChild(post);
      post.submit();
      post.remove();
      return;
    }
    var params = new URLSearchParams();
    entries.forEach(function (entry) { if (NOT_STATE.indexOf(entry[0]) < 0) { params.append(entry[0], entry[1]); } });
    window.location.assign(form.action + "?" + params.toString());
  });

  // Select-all on this page, and the count of selected rows.
  function refreshCount(form) {
    var label = form.querySelector("[data-selected-count]");
    if (!label) { return; }
    var n = form.querySelectorAll("input[name=ids]:checked").length;
    label.textContent = String(n);
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box.closest("form.list-bulk");
    if (!form) { return; }
    if (box.matches("[data-select-all]")) {
      form.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = box.checked; });
    }
    refreshCount(form);
  });
})();
