// A signature drawn on the screen (finger, stylus or mouse).
//
// Use: inside any form, an element marked data-signature holding a canvas, a
// hidden input and a clear button:
//   <div data-signature>
//     <canvas data-signature-pad></canvas>
//     <input type="hidden" name="signature" data-signature-value>
//     <button type="button" data-signature-clear>Clear</button>
//   </div>
// (grading.widgets.SignatureWidget draws exactly this.) Each stroke ends by
// writing the drawing as a PNG data URL ("data:image/png;base64,…") into the
// hidden input, so a normal post, an htmx post and `new FormData(form)` in an
// offline queue all carry it; an empty pad sends "". The clear button and a
// form reset empty both. Pointer events only: no library, no inline script.
(() => {
  const PAD = "[data-signature] canvas[data-signature-pad]";
  const state = new WeakMap(); // canvas → {drawing, last, inked}

  const valueOf = (canvas) => canvas.closest("[data-signature]").querySelector("[data-signature-value]");

  // Size the bitmap to the drawn size (sharp on high-density screens); only
  // before the first stroke, since resizing a canvas clears it.
  const setup = (canvas) => {
    if (state.has(canvas)) return state.get(canvas);
    const ratio = window.devicePixelRatio || 1;
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round((box.width || 300) * ratio));
    canvas.height = Math.max(1, Math.round((box.height || 150) * ratio));
    canvas.style.touchAction = "none";
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 2.5 * ratio;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111827";
    const s = { drawing: false, last: null, inked: false, ratio };
    state.set(canvas, s);
    return s;
  };

  const point = (canvas, event) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / (box.width || 1)) * canvas.width,
      y: ((event.clientY - box.top) / (box.height || 1)) * canvas.height,
    };
  };

  const save = (canvas) => {
    const s = state.get(canvas);
    const input = valueOf(canvas);
    if (input) input.value = s && s.inked ? canvas.toDataURL("image/png") : "";
  };

  const clear = (canvas) => {
    const s = state.get(canvas);
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    if (s) s.inked = false;
    const input = valueOf(canvas);
    if (input) input.value = "";
  };

  document.addEventListener("pointerdown", (event) => {
    const canvas = event.target;
    if (!(canvas instanceof HTMLCanvasElement) || !canvas.matches(PAD)) return;
    event.preventDefault();
    const s = setup(canvas);
    canvas.setPointerCapture?.(event.pointerId);
    s.drawing = true;
    s.last = point(canvas, event);
    const ctx = canvas.getContext("2d");
    ctx.beginPath();
    ctx.arc(s.last.x, s.last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fill();
    s.inked = true;
  });

  document.addEventListener("pointermove", (event) => {
    const canvas = event.target;
    const s = canvas instanceof HTMLCanvasElement ? state.get(canvas) : null;
    if (!s || !s.drawing) return;
    event.preventDefault();
    const p = point(canvas, event);
    const ctx = canvas.getContext("2d");
    ctx.beginPath();
    ctx.moveTo(s.last.x, s.last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    s.last = p;
  });

  const end = (event) => {
    const canvas = event.target;
    const s = canvas instanceof HTMLCanvasElement ? state.get(canvas) : null;
    if (!s || !s.drawing) return;
    s.drawing = false;
    save(canvas);
  };
  document.addEventListener("pointerup", end);
  document.addEventListener("pointercancel", end);

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-signature-clear]");
    if (!button) return;
    event.preventDefault();
    const canvas = button.closest("[data-signature]").querySelector("canvas[data-signature-pad]");
    if (canvas) clear(canvas);
  });

  document.addEventListener("reset", (event) => {
    event.target.querySelectorAll?.(PAD).forEach(clear);
  });
})();
