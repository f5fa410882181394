// The data-subject access document's print button (no inline script: CSP).
document.getElementById("print-document")?.addEventListener("click", () => window.print());
