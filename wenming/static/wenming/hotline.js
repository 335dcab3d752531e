// The 12345 console, keyboard first: typeaheads (Enter picks the first match, arrows choose,
// Esc closes), Alt+key shortcuts from aria-keyshortcuts, Enter moves to the next field, and
// a call is sent once.
(() => {
  const form = document.querySelector("form[data-wm-call]");
  if (!form) return;
  const field = (name) => form.elements.namedItem(name);
  const hitsOf = (input) => document.getElementById(input.getAttribute("aria-controls"));
  const options = (list) => Array.from(list.querySelectorAll("[data-wm-fill]"));

  const showValues = () => {
    form.querySelectorAll("[data-wm-show]").forEach((el) => {
      const source = field(el.dataset.wmShow);
      el.textContent = source ? source.value : "";
    });
    const located = form.querySelector("[data-wm-located]");
    if (located) located.classList.toggle("d-none", !field("located").value);
  };

  const setValue = (name, value) => {
    const target = field(name);
    const text = value === null || value === undefined ? "" : String(value);
    if (!target || target.value === text) return;
    target.value = text;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  };

  // Search boxes get their text selected (type to replace it); text areas keep it.
  const enter = (element) => {
    element.focus();
    if (element.tagName === "INPUT" && element.select) element.select();
  };

  const close = (input) => {
    const list = hitsOf(input);
    if (list) list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const focusNext = (element) => {
    const focusable = Array.from(
      form.querySelectorAll("input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled]):not([tabindex='-1'])")
    ).filter((el) => el.offsetParent !== null);
    const next = focusable[focusable.indexOf(element) + 1];
    if (next) next.focus();
  };

  const pick = (option) => {
    const values = JSON.parse(option.dataset.wmFill);
    Object.entries(values).forEach(([name, value]) => setValue(name, value));
    showValues();
    const list = option.closest("[role=listbox]");
    const input = list && form.querySelector(`[aria-controls="${list.id}"]`);
    if (!input) return;
    close(input);
    const next = input.dataset.wmNext && form.querySelector(input.dataset.wmNext);
    if (next) enter(next);
  };

  const move = (input, step) => {
    const items = options(hitsOf(input));
    if (!items.length) return;
    const current = items.findIndex((el) => el.classList.contains("active"));
    const index = (current + step + items.length) % items.length;
    items.forEach((el, i) => el.classList.toggle("active", i === index));
    items[index].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[index].id);
  };

  const choose = (input) => {
    const items = options(hitsOf(input));
    const option = items.find((el) => el.classList.contains("active")) || items[0];
    if (option) pick(option);
    else { close(input); focusNext(input); }
  };

  form.addEventListener("keydown", (event) => {
    const input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-wm-typeahead")) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(input, event.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if (event.key === "Escape") { close(input); return; }
      if (event.key === "Enter") {
        event.preventDefault();
        // Typed faster than the search answers: pick the first match when it arrives (or
        // whatever is there after a second).
        if (input.dataset.wmPending || input.classList.contains("htmx-request")) {
          input.dataset.wmPickFirst = "1";
          setTimeout(() => { if (input.dataset.wmPickFirst) { delete input.dataset.wmPickFirst; choose(input); } }, 1000);
        } else choose(input);
        return;
      }
    }
    if (event.key === "Enter" && input.tagName === "INPUT" && input.type !== "submit") {
      event.preventDefault();
      focusNext(input);
    }
  });

  form.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.dataset || !input.hasAttribute("data-wm-typeahead")) return;
    input.dataset.wmPending = "1";
    (input.dataset.wmClear || "").split(" ").filter(Boolean).forEach((name) => setValue(name, ""));
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    const input = list && list.id && form.querySelector(`[aria-controls="${list.id}"]`);
    if (!input) return;
    // An answer to an older query (e.g. the one sent on focus) is shown but not acted on.
    const asked = new URL(event.detail.xhr.responseURL).searchParams.get(input.name) || "";
    if (asked !== input.value) return;
    delete input.dataset.wmPending;
    input.setAttribute("aria-expanded", options(list).length ? "true" : "false");
    if (input.dataset.wmPickFirst) { delete input.dataset.wmPickFirst; choose(input); }
  });

  // Keep the focus in the search box while an option is clicked.
  form.addEventListener("mousedown", (event) => {
    if (event.target.closest("[data-wm-fill]")) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-wm-fill]");
    if (option) { pick(option); return; }
    const reset = event.target.closest("[data-wm-reset]");
    if (reset) { reset.dataset.wmReset.split(" ").forEach((name) => setValue(name, "")); showValues(); }
  });
  form.addEventListener("focusout", (event) => {
    const input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-wm-typeahead")) return;
    if (hitsOf(input).classList.contains("wm-hits-inline")) return;
    setTimeout(() => { if (document.activeElement !== input) close(input); }, 150);
  });

  // Alt+key: the element whose aria-keyshortcuts names it (buttons are pressed, fields focused).
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.code.replace(/^(Key|Digit)/, "");
    const target = form.querySelector(`[aria-keyshortcuts="Alt+${key}"]`);
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "BUTTON") form.requestSubmit(target);
    else enter(target);
  });

  // One submission per call: a second press while the first is on its way is ignored (the
  // server also files a form token once).
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });

  const invalid = form.querySelector(".is-invalid");
  if (invalid) invalid.focus();
  showValues();
})();
