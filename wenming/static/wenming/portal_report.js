// 随手拍 report page: category picker with search, photo previews (and the offer to use a
// photo's GPS position), the map pin / browser location, and the nearby-cases check.
// Plain ES2017 and Leaflet only: it must run in WeChat's built-in browser.
(function () {
  "use strict";
  var form = document.getElementById("wm-report-form");
  if (!form) return;
  var MAX_PHOTOS = 9;
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var systemInput = document.getElementById("id_coord_system");
  var statusText = document.getElementById("wm-location-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // ---------------------------------------------------------------- nearby cases
  function chosenCategory() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }

  function refreshNearby() {
    var category = chosenCategory();
    if (!category || !latInput.value || !lonInput.value || !window.htmx) return;
    var params = new URLSearchParams({
      category: category, lat: latInput.value, lon: lonInput.value, coord_system: systemInput.value,
    });
    window.htmx.ajax("GET", form.dataset.nearbyUrl + "?" + params.toString(), "#wm-nearby");
  }

  // ---------------------------------------------------------------- category picker
  var chosen = document.getElementById("wm-category-chosen");
  var search = document.getElementById("wm-category-search");
  var modalElement = document.getElementById("wm-category-modal");

  function showChosen() {
    var checked = form.querySelector("input[name=category]:checked");
    chosen.textContent = checked ? checked.dataset.label : chosen.dataset.empty;
  }

  function filterCategories() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    document.querySelectorAll(".wm-category-group").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll(".wm-category-item").forEach(function (item) {
        var text = item.dataset.search.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.classList.toggle("d-none", !match);
        if (match) visible += 1;
      });
      group.classList.toggle("d-none", visible === 0);
      shown += visible;
    });
    document.getElementById("wm-category-none").classList.toggle("d-none", shown > 0);
  }

  search.addEventListener("input", filterCategories);
  modalElement.addEventListener("shown.bs.modal", function () { search.focus(); });
  form.querySelectorAll("input[name=category]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      showChosen();
      window.bootstrap.Modal.getOrCreateInstance(modalElement).hide();
      refreshNearby();
    });
  });
  showChosen();

  // ---------------------------------------------------------------- map and location
  var mapElement = document.getElementById("wm-report-map");
  var map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.25 });
  if (mapElement.dataset.tiles) L.tileLayer(mapElement.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var boundaries = L.geoJSON(JSON.parse(document.getElementById("wm-boundaries").textContent), {
    style: function (f) {
      return { color: f.properties.main ? "#b02a37" : "#0d6efd", weight: f.properties.main ? 2.5 : 1, fillOpacity: 0.06 };
    },
    onEachFeature: function (f, layer) { if (f.properties.name) layer.bindTooltip(f.properties.name, { sticky: true }); },
  }).addTo(map);
  var bounds = boundaries.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
  else map.setView([40.65, 109.9], 11);
  var marker = null;

  // Pins from the map and the browser are WGS-84: the stored system.
  function placePin(lat, lon, zoom) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    systemInput.value = "wgs84";
    if (marker) marker.setLatLng([lat, lon]);
    else {
      marker = L.marker([lat, lon], { draggable: true }).addTo(map);
      marker.on("dragend", function () {
        var p = marker.getLatLng();
        placePin(p.lat, p.lng);
      });
    }
    // Without tiles a close zoom shows nothing around the pin: stop where boundaries still help.
    if (zoom) map.setView([lat, lon], Math.max(map.getZoom(), mapElement.dataset.tiles ? 16 : 14));
    statusText.textContent = statusText.dataset.set;
    refreshNearby();
  }

  map.on("click", function (event) { placePin(event.latlng.lat, event.latlng.lng, false); });
  if (latInput.value && lonInput.value && systemInput.value === "wgs84") {
    placePin(parseFloat(latInput.value), parseFloat(lonInput.value), true);
  }

  document.getElementById("wm-locate").addEventListener("click", function () {
    if (!navigator.geolocation) {
      statusText.textContent = statusText.dataset.failed;
      return;
    }
    statusText.textContent = statusText.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (pos) { placePin(pos.coords.latitude, pos.coords.longitude, true); },
      function () { statusText.textContent = statusText.dataset.failed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  // ---------------------------------------------------------------- photos
  var photoInput = document.getElementById("id_photos");
  var previews = document.getElementById("wm-previews");
  var warning = document.getElementById("wm-photo-warning");
  var offer = document.getElementById("wm-photo-location");
  var offered = null;

  function showPreviews(files) {
    previews.textContent = "";
    Array.prototype.forEach.call(files, function (file) {
      var img = document.createElement("img");
      img.alt = file.name;
      img.className = "wm-preview rounded border";
      if (/^image\/(jpeg|png|webp|gif)$/.test(file.type)) img.src = URL.createObjectURL(file);
      previews.appendChild(img);
    });
  }

  // Ask the server whether the first photo has a GPS position; only OFFER it to the user.
  function checkPhotoLocation(file) {
    offer.classList.add("d-none");
    if (!file || !window.fetch || latInput.value) return;
    var data = new FormData();
    data.append("photo", file);
    fetch(form.dataset.photoLocationUrl, {
      method: "POST", body: data, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
    }).then(function (r) { return r.ok ? r.json() : {}; }).then(function (point) {
      if (point.lat !== undefined) {
        offered = point;
        offer.classList.remove("d-none");
      }
    }).catch(function () {});
  }

  photoInput.addEventListener("change", function () {
    var files = photoInput.files;
    warning.classList.add("d-none");
    if (files.length > MAX_PHOTOS) {
      warning.textContent = warning.dataset.tooMany || ("≤ " + MAX_PHOTOS);
      warning.classList.remove("d-none");
      photoInput.value = "";
      previews.textContent = "";
      return;
    }
    showPreviews(files);
    checkPhotoLocation(files[0]);
  });

  document.getElementById("wm-use-photo-location").addEventListener("click", function () {
    if (offered) placePin(offered.lat, offered.lon, true);
    offer.classList.add("d-none");
  });
})();
