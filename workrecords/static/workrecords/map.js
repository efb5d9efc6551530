// Resource map: reads points from json_script, tiles from data-tile-url.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("resource-map");
  if (!el || !window.L) return;
  const points = JSON.parse(document.getElementById("map-points").textContent);
  const map = L.map(el);
  L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  const colours = { enterprise: "#d97706", venue: "#2563eb", organisation: "#16a34a", recipients: "#dc2626" };
  const bounds = [];
  for (const p of points) {
    const marker = L.circleMarker([p.lat, p.lon], {
      radius: p.kind === "recipients" ? 10 : 6,
      color: colours[p.kind] || "#555",
    }).addTo(map);
    const box = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = p.label;
    box.appendChild(strong);
    if (p.detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.detail));
    }
    marker.bindPopup(box);
    bounds.push([p.lat, p.lon]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  else map.setView([24.9, 118.6], 12);
});
