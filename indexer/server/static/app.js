// Enhancements only: the page works without JavaScript (forms submit with GET).
// Changing mode or sort searches again at once, and the new page keeps the focus on that
// menu (a keyboard user steps through the orders with the arrows). Each menu says so before
// it is used (WCAG 3.2.2: a change of page on input is announced beforehand), in the
// description a screen reader reads with it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  if (!form) return;
  const box = form.querySelector("input[name=q]");
  // Words, or a filter alone (a source, dates): what the server lists.
  const asked = () => [box, ...form.querySelectorAll("input[name=since], input[name=until], input[name=source]")].some((field) => field.value.trim());
  const changed = sessionStorage.getItem("corpus-changed");
  sessionStorage.removeItem("corpus-changed");
  const note = document.createElement("span");
  note.id = "searches-again";
  note.className = "visually-hidden";
  note.textContent = "تتغير النتائج فور الاختيار";
  form.append(note);
  for (const select of form.querySelectorAll("select")) {
    select.setAttribute("aria-describedby", note.id);
    if (select.name === changed) select.focus();
    select.addEventListener("change", () => {
      if (!asked()) return;
      sessionStorage.setItem("corpus-changed", select.name);
      form.requestSubmit();
    });
  }
  document.documentElement.classList.add("js");
});
