// Enhancements only: the page works without JavaScript (forms submit with GET).
// Changing mode or sort searches again at once; "/" puts the cursor in the search box.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  if (!form) return;
  const box = form.querySelector("input[name=q]");
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => { if (box.value.trim()) form.requestSubmit(); });
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
