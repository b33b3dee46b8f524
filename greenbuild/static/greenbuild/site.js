// Site-wide behaviour, loaded on every page (no inline script: the Content-Security-Policy
// allows scripts from 'self' only).
// A <select data-autosubmit> submits its form when it changes (the language switch).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
