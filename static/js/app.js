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
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: { scales } });
    canvas.dataset.drawn = "1";
  });
}
window.addEventListener("load", () => drawCharts(document));
