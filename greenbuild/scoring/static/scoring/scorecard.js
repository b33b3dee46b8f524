// The GB/T 50378 scorecard: running subtotal per category, "all control items met", and the
// error summary in view after a refused save. No inline script (CSP script-src 'self').
(function () {
  "use strict";
  var form = document.getElementById("scorecard-form");
  if (!form) return;

  function points(input) {
    var value = parseFloat(input.value);
    return isFinite(value) && value > 0 ? value : 0;
  }

  function updateSubtotal(category) {
    var box = form.querySelector('[data-subtotal-box="' + category + '"]');
    if (!box) return;
    var total = 0;
    form.querySelectorAll('input[data-category="' + category + '"]').forEach(function (input) {
      if (!input.disabled) total += points(input);
    });
    total = Math.round(total * 100) / 100;
    box.querySelector("[data-subtotal]").textContent = String(total);
    var maximum = box.querySelector("[data-maximum]");
    box.classList.toggle("over", !!maximum && total > parseFloat(maximum.textContent));
  }

  form.addEventListener("input", function (event) {
    var category = event.target.getAttribute("data-category");
    if (category) updateSubtotal(category);
  });

  var allMet = document.getElementById("all-control-met");
  if (allMet) {
    allMet.hidden = false;
    allMet.addEventListener("click", function () {
      form.querySelectorAll('select[data-kind="control"]').forEach(function (select) {
        if (!select.disabled) {
          select.value = "true";
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
