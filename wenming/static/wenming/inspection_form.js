// The inspector's checklist on a weak connection: one item at a time, answers, notes, photos
// (downscaled) and the location kept in localStorage under the assignment, and a submission
// that waits for the connection. The form carries a submission id generated once and kept with
// the answers, so sending it again (after a lost answer, or twice) changes nothing on the
// server. Plain ES2017: it must run in WeChat's built-in browser.
(function () {
  "use strict";
  var form = document.getElementById("wm-inspect-form");
  if (!form) return;
  var key = form.dataset.storageKey;
  var msg = form.dataset;
  var steps = Array.prototype.slice.call(form.querySelectorAll(".wm-step"));
  var items = steps.filter(function (s) { return s.dataset.item; });
  var statusBox = document.getElementById("wm-send-status");
  var MAX_SIDE = 1600;
  var state = load() || { submission_id: form.elements.submission_id.value, answers: {}, notes: {}, photos: {}, note: "", lat: "", lon: "", step: 0 };
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function save() {
    var saved = document.getElementById("wm-saved");
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
      saved.textContent = msg.msgSaved;
    } catch (e) {
      saved.textContent = msg.msgUnsaved;
    }
  }
  function show(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert py-2 small alert-" + kind;
  }

  // ---------------------------------------------------------------- answers
  function refreshItem(step) {
    var id = step.dataset.item;
    step.classList.toggle("is-fail", state.answers[id] === "fail");
  }
  function progress() {
    var answered = items.filter(function (s) { return state.answers[s.dataset.item]; }).length;
    var failed = items.filter(function (s) { return state.answers[s.dataset.item] === "fail"; }).length;
    document.getElementById("wm-progress").style.width = (100 * answered / items.length) + "%";
    document.getElementById("wm-progress-text").textContent = answered + " / " + items.length;
    document.getElementById("wm-summary").textContent = answered + " / " + items.length + " · ✗ " + failed;
  }
  items.forEach(function (step) {
    var id = step.dataset.item;
    step.querySelectorAll("input[type=radio]").forEach(function (radio) {
      if (state.answers[id]) radio.checked = radio.value === state.answers[id];
      radio.addEventListener("change", function () {
        state.answers[id] = radio.value;
        refreshItem(step); progress(); save();
        if (radio.value !== "fail") window.setTimeout(function () { go(steps.indexOf(step) + 1); }, 250);
      });
    });
    var note = step.querySelector("textarea");
    if (state.notes[id]) note.value = state.notes[id];
    note.addEventListener("input", function () { state.notes[id] = note.value; save(); });
    var input = step.querySelector(".wm-photo-input");
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) { shrink(file, id, step); });
      input.value = "";  // the photos travel from the saved copy, never twice
    });
    renderThumbs(step, id);
    refreshItem(step);
  });
  var overall = document.getElementById("wm-note");
  if (state.note) overall.value = state.note;
  overall.addEventListener("input", function () { state.note = overall.value; save(); });

  // ---------------------------------------------------------------- photos
  function shrink(file, id, step) {
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        (state.photos[id] = state.photos[id] || []).push(canvas.toDataURL("image/jpeg", 0.8));
        renderThumbs(step, id); save();
      };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  }
  function renderThumbs(step, id) {
    var box = step.querySelector(".wm-thumbs");
    box.textContent = "";
    (state.photos[id] || []).forEach(function (url, n) {
      var wrap = document.createElement("div");
      wrap.className = "wm-thumb";
      var img = document.createElement("img");
      img.src = url; img.alt = "";
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "btn btn-sm btn-light"; remove.textContent = "×";
      remove.setAttribute("aria-label", msg.msgRemove);
      remove.addEventListener("click", function () { state.photos[id].splice(n, 1); renderThumbs(step, id); save(); });
      wrap.appendChild(img); wrap.appendChild(remove); box.appendChild(wrap);
    });
  }
  function blob(dataUrl) {
    var parts = dataUrl.split(","), bytes = atob(parts[1]), array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: "image/jpeg" });
  }

  // ---------------------------------------------------------------- location
  var latInput = document.getElementById("wm-lat"), lonInput = document.getElementById("wm-lon");
  var locationText = document.getElementById("wm-location-status");
  function showLocation() {
    if (state.lat) {
      latInput.value = state.lat; lonInput.value = state.lon;
      locationText.textContent = msg.msgLocated + " " + Number(state.lat).toFixed(5) + ", " + Number(state.lon).toFixed(5);
    }
  }
  function locate() {
    if (!navigator.geolocation) { locationText.textContent = msg.msgNolocation; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      state.lat = p.coords.latitude.toFixed(6); state.lon = p.coords.longitude.toFixed(6);
      showLocation(); save();
    }, function () { locationText.textContent = msg.msgNolocation; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  document.getElementById("wm-locate").addEventListener("click", locate);
  showLocation();
  if (!state.lat) locate();

  // ---------------------------------------------------------------- one step at a time
  function go(n) {
    state.step = Math.max(0, Math.min(steps.length - 1, n));
    steps.forEach(function (s, i) { s.classList.toggle("wm-off", i !== state.step); });
    save();
    window.scrollTo(0, 0);
  }
  form.classList.add("wm-js");
  form.querySelectorAll(".wm-step-nav").forEach(function (nav) { nav.classList.remove("d-none"); });
  steps.forEach(function (step, i) {
    var prev = step.querySelector(".wm-prev"), next = step.querySelector(".wm-next");
    if (prev) prev.addEventListener("click", function () { go(i - 1); });
    if (next) next.addEventListener("click", function () {
      if (step.dataset.item && !state.answers[step.dataset.item]) { show(msg.msgAnswer, "warning"); return; }
      statusBox.className = "alert py-2 small d-none";
      go(i + 1);
    });
  });
  form.elements.submission_id.value = state.submission_id;
  progress();
  go(state.step || 0);

  // ---------------------------------------------------------------- sending
  function payload() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("submission_id", state.submission_id);
    data.append("lat", state.lat || ""); data.append("lon", state.lon || "");
    data.append("note", state.note || "");
    items.forEach(function (step) {
      var id = step.dataset.item;
      if (state.answers[id]) data.append("item-" + id, state.answers[id]);
      data.append("item-" + id + "-note", state.notes[id] || "");
      (state.photos[id] || []).forEach(function (url, n) { data.append("item-" + id + "-photos", blob(url), "item" + id + "-" + n + ".jpg"); });
    });
    return data;
  }
  function send() {
    if (sending) return;
    if (!navigator.onLine) { show(msg.msgQueued, "warning"); return; }
    sending = true;
    show(msg.msgSending, "info");
    fetch(form.action, { method: "POST", body: payload(), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        sending = false;
        if (result.ok && result.body.ok) {
          window.localStorage.removeItem(key);
          window.location.assign(result.body.redirect);
        } else {
          state.pending = false; save();  // refused (not lost): the inspector fixes and resends
          show(result.body.error || "Error", "danger");
        }
      })
      .catch(function () {
        sending = false;
        show(msg.msgQueued, "warning");  // kept; sent again when the connection returns
      });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.pending = true; save();
    send();
  });
  var offline = document.getElementById("wm-offline");
  function connection() {
    offline.classList.toggle("d-none", navigator.onLine);
    if (navigator.onLine && state.pending) send();
  }
  window.addEventListener("online", connection);
  window.addEventListener("offline", connection);
  window.setInterval(function () { if (state.pending && navigator.onLine) send(); }, 30000);
  connection();
})();
