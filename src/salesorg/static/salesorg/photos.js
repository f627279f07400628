// Photos from the phone's camera: resized in the browser to the set maximum (a JPEG at the
// form's quality) before the form is sent, so the original picture never leaves the phone
// when this works. A file the browser cannot read as a picture is sent as it is, and the
// server says what is wrong with it.
(function () {
  "use strict";

  function jpegName(name) {
    const base = (name || "photo").replace(/\.[^.]*$/, "");
    return (base || "photo") + ".jpg";
  }

  function resized(file, maxSide, quality) {
    if (!window.createImageBitmap || !file.type.startsWith("image/")) {
      return Promise.reject(new Error("not a picture"));
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then((bitmap) => {
      const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG gets a white background as a JPEG
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise((resolve, reject) => {
        canvas.toBlob(
          (blob) => (blob ? resolve(blob) : reject(new Error("not encoded"))),
          "image/jpeg",
          quality,
        );
      }).then((blob) => new File([blob], jpegName(file.name), { type: "image/jpeg" }));
    });
  }

  function replaceFile(input, file) {
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-photo-input]")) return;
    const preview = input.form && input.form.querySelector("[data-photo-preview]");
    const file = input.files && input.files[0];
    if (!preview) return;
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = !(file && file.type.startsWith("image/"));
    if (!preview.hidden) preview.src = URL.createObjectURL(file);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form[data-photo-form]")) return;
    const input = form.querySelector("input[data-photo-input]");
    const file = input && input.files && input.files[0];
    if (!file) return; // the server names the missing photo
    event.preventDefault();
    const button = form.querySelector("[data-photo-submit]");
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.busy || button.textContent;
    }
    const maxSide = parseInt(form.dataset.maxSide, 10) || 1600;
    const quality = parseFloat(form.dataset.quality) || 0.85;
    resized(file, maxSide, quality)
      .then((small) => replaceFile(input, small))
      .catch(() => null) // not a picture this browser reads: the server checks it
      .then(() => form.submit()); // submit() fires no submit event: no second resize
  });
})();
