// Small behaviours shared by every page; no inline scripts anywhere (strict CSP).
// htmx would add its indicator <style> element when the page is ready: the CSP refuses it.
if (window.htmx) window.htmx.config.includeIndicatorStyles = false;
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});
document.body.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
