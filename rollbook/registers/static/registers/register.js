// One-key marking on the class register page. Without this script the page is a plain form
// with a radio button per code, so keyboard-only use works either way.
(function () {
  "use strict";

  const form = document.querySelector(".register-form");
  if (!form) {
    return;
  }
  const present = form.dataset.present;
  const rows = Array.from(form.querySelectorAll(".register-row__fields"));
  document.querySelectorAll(".js-only").forEach((element) => { element.hidden = false; });

  function choose(row, code) {
    const radio = row.querySelector(`input[type=radio][data-key="${CSS.escape(code)}"]`);
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return radio;
  }

  function isUnmarked(row) {
    const checked = row.querySelector("input[type=radio]:checked");
    const other = row.querySelector("select");
    const arrived = row.querySelector(".arrival-time");
    const hasMark = row.querySelector(`input[type=hidden][name^="loaded-"]`).value !== "";
    return !hasMark && (!checked || checked.value === "") && (!other || other.value === "") && !arrived.value;
  }

  function focusRow(index) {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row) {
      const target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
      (target || row).focus();
    }
  }

  rows.forEach((row, index) => {
    row.addEventListener("keydown", (event) => {
      if (event.target.matches("input[type=text], select, textarea") || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      const key = event.key.toLowerCase();
      let handled = true;
      if (key === "/" || key === "p" || key === "\\") {
        choose(row, present);
        focusRow(index + 1);
      } else if (key === "l") {
        choose(row, "L");
        row.querySelector(".arrival-time").focus();
      } else if (key === "n") {
        choose(row, "N");
        focusRow(index + 1);
      } else if (key === "j" || key === "arrowdown") {
        focusRow(index + 1);
      } else if (key === "k" || key === "arrowup") {
        focusRow(index - 1);
      } else if (key === "a") {
        rows.filter(isUnmarked).forEach((unmarked) => choose(unmarked, present));
      } else {
        handled = false;
      }
      if (handled) {
        event.preventDefault();
      }
    });
  });
})();
