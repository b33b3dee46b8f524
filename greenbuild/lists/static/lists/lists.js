// List pages (issue 19 item 5): "select all" for batch actions, and the saved-filter form takes
// the list's current address (htmx updates the filters without reloading the page).
(() => {
  const count = () => {
    const out = document.getElementById("batch-count");
    if (!out) return;
    const ticked = document.querySelectorAll('input[type=checkbox][name=project]:checked').length;
    out.textContent = ticked ? "(" + ticked + ")" : "";
  };
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const name = box.getAttribute("data-select-all");
    if (name) {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach((other) => {
        other.checked = box.checked;
      });
    } else if (box.name === "project") {
      const all = document.querySelector('input[data-select-all="project"]');
      const boxes = Array.from(document.querySelectorAll('input[type=checkbox][name=project]'));
      if (all) {
        all.checked = boxes.length > 0 && boxes.every((b) => b.checked);
        all.indeterminate = !all.checked && boxes.some((b) => b.checked);
      }
    }
    count();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "save-filter") return;
    const query = form.querySelector('input[name=query]');
    if (query) query.value = window.location.search.replace(/^\?/, "");
  }, true);
  document.addEventListener("htmx:afterSwap", count);
})();
