// Size checks before sending: a file over its kind's limit is named on its own row, and a form
// whose chosen files exceed what one save accepts is not sent (the server would refuse it with 413
// and the typed values would be lost). Inputs carry data-max-bytes, data-max-body and the messages.
(function () {
  "use strict";
  function mb(bytes) { return (bytes / 1048576).toFixed(1) + "\u00a0MB"; }

  function note(input, text) {
    var box = input.parentNode.querySelector(".js-upload-limit");
    if (!box) {
      box = document.createElement("div");
      box.className = "field-errors js-upload-limit";
      input.insertAdjacentElement("afterend", box);
    }
    box.textContent = text;
    box.hidden = !text;
  }

  function checkFile(input) {
    var max = Number(input.dataset.maxBytes), file = input.files && input.files[0];
    var text = file && file.size > max
      ? input.dataset.tooLarge.replace("{name}", file.name).replace("{size}", mb(file.size)) : "";
    input.setCustomValidity(text);
    note(input, text);
    return !text;
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { checkFile(input); });
  });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var inputs = form.querySelectorAll("input[type=file][data-max-bytes]");
      if (!inputs.length) { return; }
      var total = 0, ok = true, last = null;
      inputs.forEach(function (input) {
        ok = checkFile(input) && ok;
        if (input.files && input.files[0]) { total += input.files[0].size; last = input; }
      });
      var maxBody = Number(inputs[0].dataset.maxBody);
      if (last && total > maxBody) {
        note(last, inputs[0].dataset.bodyTooLarge.replace("{size}", mb(total)));
        ok = false;
      }
      if (!ok) {
        event.preventDefault();
        var first = form.querySelector(".js-upload-limit:not([hidden])");
        if (first) { first.scrollIntoView({block: "center"}); }
      }
    });
  });
})();
