// Enhancements only: the page works without JavaScript (forms submit with GET).
// Changing mode or sort searches again at once, and the new page keeps the focus on that
// menu (a keyboard user steps through the orders with the arrows); "/" puts the cursor in
// the search box.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  if (!form) return;
  const box = form.querySelector("input[name=q]");
  // Words, or a filter alone (a source, dates): what the server lists.
  const asked = () => [box, ...form.querySelectorAll("input[name=since], input[name=until], input[name=source]")].some((field) => field.value.trim());
  const changed = sessionStorage.getItem("corpus-changed");
  sessionStorage.removeItem("corpus-changed");
  for (const select of form.querySelectorAll("select")) {
    if (select.name === changed) select.focus();
    select.addEventListener("change", () => {
      if (!asked()) return;
      sessionStorage.setItem("corpus-changed", select.name);
      form.requestSubmit();
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement !== box && !(event.target instanceof HTMLInputElement)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  document.documentElement.classList.add("js");
});
