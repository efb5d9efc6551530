// Refill search boxes from the address bar (the server never echoes the query back).
document.querySelectorAll("input[data-from-url]").forEach(function (input) {
  var value = new URLSearchParams(window.location.search).get(input.dataset.fromUrl);
  if (value) input.value = value;
});
