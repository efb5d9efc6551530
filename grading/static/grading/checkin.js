// Location check-in at the door, only with the resident's consent.
//
// Use: inside any form, an element marked data-checkin holding the consent
// checkbox, a button and a status line; the coordinates go into inputs of
// the same form named by data-lat / data-lon / data-accuracy (hidden inputs,
// usually "latitude", "longitude", "location_accuracy"):
//   <div data-checkin data-lat="latitude" data-lon="longitude" data-accuracy="location_accuracy"
//        data-need-consent="…" data-failed="…" data-done="… {lat} {lon} {acc}">
//     <input type="checkbox" name="location_consent" data-checkin-consent>
//     <button type="button" data-checkin-button>Check in here</button>
//     <span data-checkin-status></span>
//   </div>
// (grading.widgets.CheckinWidget draws it.) The button asks the browser for
// one position; unticking consent empties the coordinates again. Nothing is
// sent until the form is, so a queued offline form carries them as fields.
(() => {
  const fieldOf = (box, form, key) => (box.dataset[key] ? form.elements.namedItem(box.dataset[key]) : null);

  const fill = (box, lat, lon, acc) => {
    const form = box.closest("form");
    if (!form) return;
    [
      ["lat", lat],
      ["lon", lon],
      ["accuracy", acc],
    ].forEach(([key, value]) => {
      const input = fieldOf(box, form, key);
      if (input) input.value = value;
    });
  };

  const say = (box, text) => {
    const status = box.querySelector("[data-checkin-status]");
    if (status) status.textContent = text;
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-checkin-button]");
    if (!button) return;
    event.preventDefault();
    const box = button.closest("[data-checkin]");
    const consent = box.querySelector("[data-checkin-consent]");
    if (consent && !consent.checked) {
      say(box, box.dataset.needConsent || "");
      return;
    }
    if (!navigator.geolocation) {
      say(box, box.dataset.failed || "");
      return;
    }
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        button.disabled = false;
        const { latitude, longitude, accuracy } = pos.coords;
        fill(box, latitude.toFixed(6), longitude.toFixed(6), Math.round(accuracy));
        say(
          box,
          (box.dataset.done || "{lat}, {lon} ±{acc} m")
            .replace("{lat}", latitude.toFixed(5))
            .replace("{lon}", longitude.toFixed(5))
            .replace("{acc}", String(Math.round(accuracy))),
        );
      },
      () => {
        button.disabled = false;
        say(box, box.dataset.failed || "");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  document.addEventListener("change", (event) => {
    const consent = event.target;
    if (!(consent instanceof HTMLInputElement) || !consent.matches("[data-checkin] [data-checkin-consent]")) return;
    if (!consent.checked) {
      const box = consent.closest("[data-checkin]");
      fill(box, "", "", "");
      say(box, "");
    }
  });
})();
