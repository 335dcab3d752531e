// Volunteer pages: share the phone's position for "near me", check-in and need forms.
(() => {
  const locate = (onDone, onFail) => {
    if (!navigator.geolocation) { onFail(); return; }
    navigator.geolocation.getCurrentPosition(
      (pos) => onDone(pos.coords.latitude.toFixed(6), pos.coords.longitude.toFixed(6)),
      onFail, { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 });
  };
  // A button that fills two inputs with the position.
  document.querySelectorAll("[data-wm-locate]").forEach((button) => {
    button.addEventListener("click", () => {
      button.disabled = true;
      locate((lat, lon) => {
        document.querySelector(button.dataset.lat).value = lat;
        document.querySelector(button.dataset.lon).value = lon;
        button.disabled = false;
        button.classList.add("btn-success");
      }, () => { button.disabled = false; button.classList.add("btn-outline-danger"); });
    });
  });
  // "Near me": reload the list with the position in the query string.
  document.querySelectorAll("[data-wm-near-me]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      locate((lat, lon) => {
        const url = new URL(window.location.href);
        url.searchParams.set("lat", lat);
        url.searchParams.set("lon", lon);
        window.location.assign(url.toString());
      }, () => link.classList.add("text-danger"));
    });
  });
  // Check-in/out forms send the position with them (the server checks the distance).
  document.querySelectorAll("form[data-wm-geo]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.located) return;
      event.preventDefault();
      const send = () => { form.dataset.located = "1"; form.requestSubmit(); };
      locate((lat, lon) => {
        form.querySelector("[name=lat]").value = lat;
        form.querySelector("[name=lon]").value = lon;
        send();
      }, send);
    });
  });
})();
