// Capture form: while the files travel to the server (ten rolled prints can be 20 MB) say so,
// with the share sent, and keep the officer from sending them twice. Extraction then runs in the
// background and the capture's page shows its progress.
// A refused capture comes back with the errors: the form is replaced by the server's, but every
// file the officer chose stays chosen, except the refused ones, which are cleared to choose again.
(function () {
  "use strict";
  // The texts come from the form's data-* attributes, in the page's language.
  function bind(form) {
    const say = (key, fallback) => form.dataset[key] || fallback;
    const busyText = (n, pct) =>
      pct < 100
        ? say("uploading", "Uploading {files} file(s): {percent}")
            .replace("{files}", String(n))
            .replace("{percent}", pct + " %")
        : say("checking", "Checking the files…");
    const busy = form.querySelector("#capture-busy");
    const button = form.querySelector("#capture-submit");
    if (!busy || !button) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const chosen = [...form.querySelectorAll("input[type=file]")].filter((i) => i.files.length);
      button.disabled = true;
      busy.textContent = busyText(chosen.length, 0);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          busy.textContent = busyText(chosen.length, Math.round((100 * e.loaded) / e.total));
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400) {
          window.location.assign(xhr.responseURL);  // the capture's progress page
          return;
        }
        const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        const fresh = doc.getElementById("capture-form");
        if (xhr.status !== 422 || !fresh) {
          button.disabled = false;
          busy.textContent = say(
            "refused", "The server refused the upload ({status}). Try again."
          ).replace("{status}", String(xhr.status));
          return;
        }
        fresh.querySelectorAll("input[type=file]").forEach(function (input) {
          const old = form.querySelector("input[type=file][name='" + input.name + "']");
          if (!old) return;
          if (input.closest("tr.refused") || input.getAttribute("aria-invalid") === "true") {
            old.value = "";  // refused: choose this one again
          }
          input.replaceWith(old);
        });
        form.replaceWith(fresh);
        bind(fresh);
        const errors = fresh.querySelector("#capture-errors");
        if (errors) { errors.setAttribute("tabindex", "-1"); errors.focus(); }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        busy.textContent = say(
          "network", "The upload failed (network): the files did not reach the server. Try again."
        );
      });
      xhr.send(new FormData(form));
    });
  }
  const form = document.getElementById("capture-form");
  if (form && window.XMLHttpRequest && window.FormData && window.DOMParser) bind(form);
})();
