// The period report's Print button (no inline JavaScript: CSP).
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-print-page]");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
