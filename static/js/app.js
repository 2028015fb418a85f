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
