// The visit form: show the coach only for joint visits, the skip reason only for steps not done.
// No inline scripts (the CSP forbids them); htmx swaps in the customer and checklist parts.
(function () {
  function refresh(root) {
    const kind = root.querySelector("[data-visit-kind] select");
    const coach = root.querySelector("[data-coach-row]");
    if (kind && coach) coach.hidden = kind.value !== "joint";
    root.querySelectorAll("[data-step]").forEach((row) => {
      const done = row.querySelector("input[type=checkbox]");
      const reason = row.querySelector("[data-skip-reason]");
      if (done && reason) reason.hidden = done.checked;
    });
  }
  document.addEventListener("DOMContentLoaded", () => refresh(document));
  document.addEventListener("change", () => refresh(document));
  document.addEventListener("htmx:afterSettle", () => refresh(document));
})();
