// Search boxes are filled from the URL on the client (the server never echoes
// the query back into the page).
document.addEventListener("DOMContentLoaded", () => {
  const params = new URLSearchParams(window.location.search);
  document.querySelectorAll("input[data-from-url]").forEach((input) => {
    const value = params.get(input.dataset.fromUrl);
    if (value) input.value = value;
  });
});
