/* The inspection page keeps the inspector's unsent input as a draft (issue 20 item 2).
 *
 * Every change of a form with data-draft-key is saved to localStorage at once, and (while online)
 * to the server's draft of the inspection (data-draft-url). When the page loads with a draft that
 * differs from what the page shows, the draft is restored and a notice says so. A successful submit
 * clears the draft of that form. No inline script: this file is loaded by the page (strict CSP).
 */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-draft-key]");
  if (!forms.length) { return; }
  var offline = document.getElementById("offline-notice");
  var restored = document.getElementById("draft-notice");

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.name === "csrfmiddlewaretoken") { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      data[el.name] = el.value;
    });
    return data;
  }

  function apply(form, data) {
    var changed = false;
    Object.keys(data).forEach(function (name) {
      var fields = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      Array.prototype.forEach.call(fields, function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          var on = el.value === data[name];
          if (el.checked !== on) { el.checked = on; changed = true; }
        } else if (el.value !== data[name]) {
          el.value = data[name]; changed = true;
        }
      });
    });
    return changed;
  }

  var timer = null;
  function sendToServer(form, data) {
    var url = form.getAttribute("data-draft-url");
    if (!url || !navigator.onLine || !window.fetch) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form) },
        body: JSON.stringify(data)
      }).catch(function () { /* offline: the browser keeps the draft */ });
    }, 800);
  }

  function showOffline() {
    if (offline) { offline.classList.toggle("d-none", navigator.onLine); }
  }
  window.addEventListener("online", function () {
    showOffline();
    Array.prototype.forEach.call(forms, function (form) { sendToServer(form, collect(form)); });
  });
  window.addEventListener("offline", showOffline);
  showOffline();

  Array.prototype.forEach.call(forms, function (form) {
    var key = form.getAttribute("data-draft-key");
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (!stored) {
      try { stored = JSON.parse(form.getAttribute("data-server-draft") || "null"); } catch (e) { stored = null; }
    }
    if (stored && typeof stored === "object" && apply(form, stored) && restored) {
      restored.classList.remove("d-none");
    }
    function save() {
      var data = collect(form);
      try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full */ }
      sendToServer(form, data);
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) {
        event.preventDefault();
        save();
        showOffline();
        return;
      }
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    });
  });
})();
