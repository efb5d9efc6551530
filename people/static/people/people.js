// The search box is filled from the address bar rather than echoed by the
// server, so that a page never repeats a search term back in its HTML.
document.addEventListener("DOMContentLoaded", function () {
  var params = new URLSearchParams(window.location.search);
  document.querySelectorAll("input[data-from-url]").forEach(function (input) {
    var value = params.get(input.dataset.fromUrl);
    if (value && !input.value) { input.value = value; }
  });
});
