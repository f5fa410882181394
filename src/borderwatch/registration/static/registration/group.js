// Group registration: "Add row" clones the formset's empty row (Django's __prefix__ template),
// renumbers it and moves the focus to its first field, so the officer keeps typing.
(function () {
  "use strict";
  const button = document.getElementById("add-row");
  const template = document.getElementById("empty-row");
  const total = document.getElementById("id_p-TOTAL_FORMS");
  const body = document.getElementById("person-rows");
  if (!button || !template || !total || !body) return;
  button.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__row__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = body.lastElementChild.querySelector("input, select");
    if (first) first.focus();
  });
})();
