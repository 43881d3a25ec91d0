// evalsets web UI: small progressive enhancements; every page works without this file.
"use strict";

// Forms with data-confirm ask before they submit.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// The import form uploads with a progress bar, then follows the server's redirect.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("import-form");
  if (!(form instanceof HTMLFormElement)) return;
  const bar = document.getElementById("import-progress");
  const status = document.getElementById("import-status");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "fetch");
    request.responseType = "json";
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    button.disabled = true;
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = e.loaded < e.total ? `Uploading… ${bar.value}%` : "Importing…";
      }
    });
    request.addEventListener("load", () => {
      const body = request.response || {};
      if (request.status >= 200 && request.status < 300 && body.redirect) {
        status.textContent = "Imported.";
        window.location.assign(body.redirect);
        return;
      }
      button.disabled = false;
      bar.hidden = true;
      status.textContent = (body.error && body.error.message) || `Import failed (${request.status}).`;
      status.className = "error";
    });
    request.addEventListener("error", () => {
      button.disabled = false;
      status.textContent = "The upload failed: is the server reachable?";
      status.className = "error";
    });
    request.send(new FormData(form));
  });
});
