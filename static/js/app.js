// Pages know JavaScript runs (the phone menu folds only then).
document.documentElement.classList.add("js");
// The phone menu: the button opens and closes the site's links.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) {
    return;
  }
  const nav = toggle.closest(".site-nav");
  const open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
});
// Small behaviours of the platform's pages. No inline scripts: pages opt in through data attributes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("[data-autosubmit]")) {
    field.form.requestSubmit();
  }
});
// htmx sends Django's CSRF token with every non-GET request it makes.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.cookie.split("; ").find((row) => row.startsWith("csrftoken="));
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.split("=")[1];
  }
});
// Charts: <canvas data-chart='{"type": "bar", "labels": [...], "datasets": [...], "stacked": true}'>.
function drawCharts(root) {
  if (typeof Chart === "undefined") {
    return;
  }
  root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    if (canvas.dataset.drawn || !canvas.dataset.chart) {
      return;
    }
    const spec = JSON.parse(canvas.dataset.chart);
    const scales = spec.stacked ? { x: { stacked: true }, y: { stacked: true } } : {};
    if (spec.integer) {
      // Counts (suppliers, units) step by whole numbers, never 0.2.
      scales.y = { ...(scales.y || {}), beginAtZero: true, ticks: { precision: 0 } };
    }
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: { scales } });
    canvas.dataset.drawn = "1";
  });
}
window.addEventListener("load", () => drawCharts(document));
// Irreversible actions: <form data-confirm="What will happen, to what?"> asks before it is sent. Once any form that
// changes something is sent, its buttons are disabled until the answer comes, so that a double click does not send
// it twice (disabled after the browser has read the clicked button's name and value).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if ((form.getAttribute("method") || "").toLowerCase() === "post") {
    setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; }), 0);
  }
  // Long jobs (<form data-busy="what is happening">): while the request runs — the whole job, in the embedded
  // mode without workers — the page says what it is doing, with a running progress bar.
  if (form.dataset.busy && !form.querySelector(".busy")) {
    const status = document.createElement("p");
    status.className = "busy";
    status.setAttribute("role", "status");
    status.dataset.testid = "busy";
    const bar = document.createElement("progress");
    status.append(bar, " ", form.dataset.busy);
    form.append(status);
  }
});
// Coming back to a page with the browser's back button shows it as it was left: enable its buttons again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    document.querySelectorAll("form button[type=submit][disabled]:not([data-disabled])").forEach((button) => {
      button.disabled = false;
    });
    document.querySelectorAll("form .busy").forEach((status) => status.remove());
  }
});
// Searchable pickers: <select data-searchable> (organisations, products) becomes a box that filters its options as
// one types (Tom Select); the original select stays in the form and carries the value, so forms and htmx filters
// work as before, and without JavaScript it is a plain select.
function searchablePickers(root) {
  if (typeof TomSelect === "undefined") {
    return;
  }
  root.querySelectorAll("select[data-searchable]:not(.tomselected)").forEach((select) => {
    new TomSelect(select, {
      maxOptions: 500,
      allowEmptyOption: true,
      // A single picker closes once chosen, so that its list does not cover the next field.
      closeAfterSelect: !select.multiple,
      plugins: select.multiple ? ["remove_button"] : [],
      render: { no_results: () => `<div class="no-results">${select.dataset.noResults || "—"}</div>` },
    });
  });
}
document.addEventListener("DOMContentLoaded", () => searchablePickers(document));
document.addEventListener("htmx:afterSwap", (event) => searchablePickers(event.target));
