// Photos taken with the phone's camera, made small on the phone before upload.
//
// Use: inside any form, a file input marked data-photo:
//   <input type="file" name="photos" accept="image/*" capture="environment" multiple
//          data-photo data-max-edge="1600" data-max-files="6" data-quality="0.85"
//          data-keep-bytes="0">
// Each picture chosen (or taken) is drawn on a canvas at most data-max-edge
// pixels on its longer side and re-encoded as JPEG; the input's own files
// are replaced by the results, so a normal form post, an htmx post and a
// `new FormData(form)` built by an offline queue all send the small files
// under the input's name. Choosing again adds to the pictures already chosen
// (up to data-max-files); each thumbnail has a button to drop it. A picture
// no larger than data-keep-bytes (when the district keeps photo locations)
// is sent as taken, so its location survives; the server checks and
// re-encodes every photo whatever the browser did.
// While pictures are being resized the form carries data-photo-busy, its
// submit buttons are disabled, and `form.linliPhotosReady` is a Promise that
// settles when they are done (an offline queue awaits it before reading the
// form). Texts: data-remove-label on the input (CSP: no inline script).
(() => {
  const SELECTOR = "input[type=file][data-photo]";

  const previewOf = (input) => {
    let box = input.parentElement.querySelector("[data-photo-preview]");
    if (!box) {
      box = document.createElement("div");
      box.className = "photo-preview";
      box.setAttribute("data-photo-preview", "");
      input.insertAdjacentElement("afterend", box);
    }
    return box;
  };

  const loadImage = (file) =>
    new Promise((resolve, reject) => {
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = () => resolve({ img, url });
      img.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error("not an image"));
      };
      img.src = url;
    });

  // One file, resized: a JPEG File no larger than maxEdge on its longer side.
  const shrink = async (file, maxEdge, quality, keepBytes) => {
    if (keepBytes && file.size <= keepBytes) return file;
    let loaded;
    try {
      loaded = await loadImage(file);
    } catch (e) {
      return file; // not something the browser can draw: the server says what is wrong
    }
    const { img, url } = loaded;
    const scale = Math.min(1, maxEdge / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    if (!blob) return file;
    const base = (file.name || "photo").replace(/\.[^.]*$/, "") || "photo";
    return new File([blob], `${base}.jpg`, { type: "image/jpeg", lastModified: Date.now() });
  };

  // Put `files` into the input (DataTransfer: every current mobile browser).
  const setFiles = (input, files) => {
    if (typeof DataTransfer === "undefined") return false;
    const dt = new DataTransfer();
    files.forEach((f) => dt.items.add(f));
    input.files = dt.files;
    return true;
  };

  const busy = (form, on) => {
    if (!form) return;
    form.toggleAttribute("data-photo-busy", on);
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((b) => {
      if (on) {
        if (!b.disabled) b.dataset.photoDisabled = "1";
        b.disabled = true;
      } else if (b.dataset.photoDisabled) {
        delete b.dataset.photoDisabled;
        b.disabled = false;
      }
    });
  };

  const kept = new WeakMap(); // input → the resized files chosen so far

  const draw = (input) => {
    const box = previewOf(input);
    box.replaceChildren();
    (kept.get(input) || []).forEach((file, index) => {
      const item = document.createElement("span");
      item.className = "photo-thumb";
      const img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      img.onload = () => URL.revokeObjectURL(img.src);
      const drop = document.createElement("button");
      drop.type = "button";
      drop.textContent = "×";
      drop.title = input.dataset.removeLabel || "Remove";
      drop.setAttribute("aria-label", drop.title);
      drop.addEventListener("click", () => {
        const files = (kept.get(input) || []).filter((_f, i) => i !== index);
        kept.set(input, files);
        setFiles(input, files);
        draw(input);
      });
      item.append(img, drop);
      box.append(item);
    });
  };

  const onChange = (input) => {
    const form = input.form;
    const maxEdge = Number(input.dataset.maxEdge) || 1600;
    const maxFiles = Number(input.dataset.maxFiles) || 0;
    const quality = Number(input.dataset.quality) || 0.85;
    const keepBytes = Number(input.dataset.keepBytes) || 0;
    const chosen = Array.from(input.files || []);
    busy(form, true);
    const work = Promise.all(chosen.map((f) => shrink(f, maxEdge, quality, keepBytes))).then((small) => {
      let files = input.multiple ? [...(kept.get(input) || []), ...small] : small;
      // Keep one more than allowed so that the server's message says there are too many.
      if (maxFiles && files.length > maxFiles + 1) files = files.slice(0, maxFiles + 1);
      kept.set(input, files);
      if (!setFiles(input, files)) kept.set(input, chosen); // an old browser sends what was chosen
      draw(input);
    });
    const ready = work.finally(() => busy(form, false));
    if (form) form.linliPhotosReady = Promise.all([form.linliPhotosReady, ready]).then(() => undefined);
  };

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.matches(SELECTOR)) onChange(input);
  });
  // A form reset or re-shown form starts with no pictures.
  document.addEventListener("reset", (event) => {
    event.target.querySelectorAll?.(SELECTOR).forEach((input) => {
      kept.delete(input);
      previewOf(input).replaceChildren();
    });
  });
})();
