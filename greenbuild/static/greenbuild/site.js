// Site-wide behaviour, loaded on every page (no inline script: the Content-Security-Policy
// allows scripts from 'self' only).
// A <select data-autosubmit> submits its form when it changes (the language switch). Changed
// from the keyboard (arrow keys change a closed select at once), it waits for Enter or for the
// focus to leave, so a keyboard user can go through the options (WCAG 3.2.2).
const autosubmitKeys = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
const isAutosubmit = (target) =>
  target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form;
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!isAutosubmit(target)) return;
  if (autosubmitKeys.has(event.key) || /^.$/.test(event.key)) target.dataset.gbKeyed = "1";
  if (event.key === "Enter" && target.dataset.gbChanged === "1") {
    event.preventDefault();
    target.form.requestSubmit();
  }
});
document.addEventListener("change", (event) => {
  const target = event.target;
  if (!isAutosubmit(target)) return;
  if (target.dataset.gbKeyed === "1") {
    target.dataset.gbChanged = "1";
    return;
  }
  target.form.requestSubmit();
});
document.addEventListener("focusout", (event) => {
  const target = event.target;
  if (isAutosubmit(target) && target.dataset.gbChanged === "1") {
    delete target.dataset.gbChanged;
    target.form.requestSubmit();
  }
});
document.addEventListener("mousedown", (event) => {
  if (isAutosubmit(event.target)) delete event.target.dataset.gbKeyed;
});

// Confirmation before an irreversible action (UI-24): a form, or the button that submits it,
// with data-confirm="…" asks first in the <dialog id="gb-confirm"> of base.html (its buttons are
// in the page's language); the form goes ahead only on "yes". Without the dialog element the
// browser's own confirm() asks. Capture phase, so htmx and other listeners see only a confirmed submit.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = event.submitter || null;
    const message =
      (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!message) return;
    if (form.dataset.gbConfirmed === "1") {
      delete form.dataset.gbConfirmed;
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    const dialog = document.getElementById("gb-confirm");
    if (!(dialog instanceof HTMLDialogElement) || typeof dialog.showModal !== "function") {
      if (window.confirm(message)) {
        form.dataset.gbConfirmed = "1";
        form.requestSubmit(submitter || undefined);
      }
      return;
    }
    dialog.querySelector("[data-confirm-message]").textContent = message;
    const yes = dialog.querySelector("[data-confirm-yes]");
    const label = (submitter && submitter.getAttribute("data-confirm-button")) || form.getAttribute("data-confirm-button");
    yes.textContent = label || yes.getAttribute("data-default-label");
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue !== "yes") return;
        form.dataset.gbConfirmed = "1";
        form.requestSubmit(submitter || undefined);
      },
      { once: true },
    );
    dialog.showModal();
  },
  true,
);
