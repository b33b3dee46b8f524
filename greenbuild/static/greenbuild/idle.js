// The idle-timeout warning and the input kept across an idle sign-out (docs/security.md,
// "Idle session timeout"; issue 17 item 8, ACC-02). No inline script: loaded from 'self'.
//
// - Some seconds before the session's idle timeout (<body data-idle-left data-idle-warn>) a
//   dialog offers to stay signed in; its button posts to the keep-alive URL. Before it opens,
//   the server is asked (passively) how long is left, since another tab may have been active.
// - Typing or clicking on the page is activity: it pings the keep-alive URL (at most once a
//   minute), so a long form being filled in keeps its session.
// - After an idle sign-out, a form posted meanwhile comes back filled in: the server keeps its
//   fields and the page carries them in <script type="application/json" id="gb-kept-input">.
(() => {
  "use strict";
  const PASSIVE = { "X-GreenBuild-Passive": "1", Accept: "application/json" };
  const PING_EVERY_MS = 60 * 1000;

  function restoreKeptInput() {
    const source = document.getElementById("gb-kept-input");
    if (!source) return;
    let kept;
    try {
      kept = JSON.parse(source.textContent || "{}");
    } catch {
      return;
    }
    const fields = kept.fields || {};
    const names = Object.keys(fields);
    const forms = Array.from(document.querySelectorAll("form")).filter(
      (form) => (form.getAttribute("method") || "").toLowerCase() === "post",
    );
    const score = (form) => names.filter((name) => form.querySelector('[name="' + CSS.escape(name) + '"]')).length;
    let form = forms.find((f) => new URL(f.action, window.location.href).pathname === kept.action && score(f) > 0);
    if (!form) {
      form = forms.reduce((best, f) => (best === null || score(f) > score(best) ? f : best), null);
    }
    if (!form || score(form) === 0) return;
    for (const name of names) {
      const values = (fields[name] || []).map(String);
      const controls = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      let index = 0;
      for (const control of controls) {
        if (control instanceof HTMLInputElement) {
          if (control.type === "file" || control.type === "hidden" || control.type === "password") continue;
          if (control.type === "checkbox" || control.type === "radio") {
            control.checked = values.includes(control.value);
          } else if (index < values.length) {
            control.value = values[index++];
          }
        } else if (control instanceof HTMLSelectElement) {
          for (const option of control.options) option.selected = values.includes(option.value);
        } else if (control instanceof HTMLTextAreaElement && index < values.length) {
          control.value = values[index++];
        }
      }
    }
    const notice = document.createElement("div");
    notice.className = "alert alert-info";
    notice.setAttribute("role", "status");
    notice.id = "kept-input-notice";
    notice.textContent = kept.notice || "";
    form.parentNode.insertBefore(notice, form);
  }

  function idleWarning() {
    const body = document.body;
    const dialog = document.getElementById("idle-warning");
    if (!dialog || body.dataset.idleLeft === undefined) return;
    const warnBefore = Number(body.dataset.idleWarn || 120) * 1000;
    const keepAliveUrl = body.dataset.keepAliveUrl;
    const statusUrl = body.dataset.sessionStatusUrl;
    const countdown = dialog.querySelector("[data-idle-countdown]");
    const soon = dialog.querySelector("[data-idle-soon]");
    const endedText = dialog.querySelector("[data-idle-ended]");
    const stayButton = dialog.querySelector("[data-idle-stay]");
    const closeButton = dialog.querySelector("[data-idle-close]");
    let deadline = Date.now() + Number(body.dataset.idleLeft) * 1000;
    let lastPing = Date.now();
    let ended = false;
    let timer = 0;
    let ticker = 0;

    const csrfToken = () => {
      try {
        return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
      } catch {
        return "";
      }
    };
    const format = (seconds) => {
      const s = Math.max(0, Math.round(seconds));
      return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, Math.max(0, deadline - warnBefore - Date.now()));
    };
    const hide = () => {
      window.clearTimeout(ticker);
      if (dialog.open) dialog.close();
    };
    const showEnded = () => {
      ended = true;
      window.clearTimeout(timer);
      window.clearTimeout(ticker);
      soon.hidden = true;
      stayButton.hidden = true;
      endedText.hidden = false;
      closeButton.hidden = false;
      if (!dialog.open) dialog.showModal();
    };
    const tick = () => {
      const left = (deadline - Date.now()) / 1000;
      countdown.textContent = format(left);
      if (left <= 0) {
        showEnded();
        return;
      }
      ticker = window.setTimeout(tick, 1000);
    };
    const answer = async (response) => {
      if (response.redirected) return false; // sent to the sign-in page: the session is over
      if (!response.ok) throw new Error("HTTP " + response.status); // a passing fault: keep our clock
      const data = await response.json();
      if (!data.signed_in) return false;
      deadline = Date.now() + Number(data.seconds_left) * 1000;
      return true;
    };
    async function check() {
      try {
        const response = await fetch(statusUrl, { headers: PASSIVE, credentials: "same-origin" });
        if (!(await answer(response))) {
          showEnded();
          return;
        }
        if (deadline - Date.now() > warnBefore) {
          hide();
          schedule();
          return;
        }
      } catch {
        // Offline: go by our own clock.
      }
      if (!dialog.open) dialog.showModal();
      window.clearTimeout(ticker);
      tick();
    }
    async function ping() {
      lastPing = Date.now();
      try {
        const response = await fetch(keepAliveUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!(await answer(response))) {
          showEnded();
          return false;
        }
        schedule();
        return true;
      } catch {
        return false;
      }
    }
    stayButton.addEventListener("click", async () => {
      if (await ping()) hide();
    });
    closeButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("cancel", (event) => {
      if (!ended) {
        event.preventDefault(); // Esc means "stay", not "ignore"
        stayButton.click();
      }
    });
    const activity = (event) => {
      // Not once the deadline is near or past (the ping would end the session before a form's
      // post could keep its input), and not for the click that submits a form.
      if (ended || dialog.open || Date.now() - lastPing < PING_EVERY_MS || Date.now() > deadline - 5000) return;
      const target = event.target;
      if (event.type === "click" && target instanceof Element && target.closest("button[type=submit], input[type=submit], button:not([type])")) return;
      ping();
    };
    for (const kind of ["input", "keydown", "click", "change"]) {
      document.addEventListener(kind, activity, { capture: true, passive: true });
    }
    schedule();
  }

  restoreKeptInput();
  idleWarning();
})();
