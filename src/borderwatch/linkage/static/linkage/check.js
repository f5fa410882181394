// The registration form's duplicate check: when a row's name, date of birth, sex or
// nationality changes, ask the server for persons like it and show the answer (an HTML
// fragment rendered and escaped by the server). No inline script: the CSP forbids it.
(function () {
  "use strict";
  const box = document.getElementById("duplicate-check");
  const out = document.getElementById("duplicate-results");
  if (!box || !out) return;
  const FIELDS = ["name_transliterated", "name_as_written", "date_of_birth", "dob_is_estimated",
    "sex", "nationality"];
  let pending = null;

  function rowOf(input) {
    const m = /^(.*-)(\d+)-([a-z_]+)$/.exec(input.name || "");
    return m && FIELDS.includes(m[3]) ? { prefix: m[1] + m[2] + "-", row: Number(m[2]) + 1 } : null;
  }

  function ask(prefix, row) {
    const form = box.ownerDocument.getElementById("group-form") || document;
    const value = (field) => {
      const el = form.querySelector('[name="' + prefix + field + '"]');
      if (!el) return "";
      return el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
    };
    const params = new URLSearchParams({
      name: value("name_transliterated"), name_as_written: value("name_as_written"),
      date_of_birth: value("date_of_birth"), dob_is_estimated: value("dob_is_estimated"),
      sex: value("sex"), nationality: value("nationality"), row: String(row),
    });
    if ((params.get("name") + params.get("name_as_written")).trim().length < 2) return;
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(box.dataset.url + "?" + params.toString(), {
      credentials: "same-origin", signal: pending.signal,
    })
      .then((r) => (r.ok ? r.text() : ""))
      .then((html) => { out.innerHTML = html; })
      .catch(() => {});
  }

  document.addEventListener("change", (event) => {
    const found = rowOf(event.target);
    if (found) ask(found.prefix, found.row);
  });
})();
