// Public case map: region boundaries as the base layer (tiles are optional), the page's
// cases as points that open their tracking page; the view fits the points.
(function () {
  "use strict";
  var element = document.getElementById("wm-case-map");
  if (!element) return;
  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  if (element.dataset.tiles) L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var base = L.geoJSON(JSON.parse(document.getElementById("wm-boundaries").textContent), {
    style: function (f) {
      return { color: f.properties.main ? "#b02a37" : "#0d6efd", weight: f.properties.main ? 2.5 : 1, fillOpacity: 0.05 };
    },
    interactive: false,
  }).addTo(map);
  var points = L.geoJSON(JSON.parse(document.getElementById("wm-case-points").textContent), {
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#b02a37", fillOpacity: 0.8 });
    },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(f.properties.name);
      layer.on("click", function () { window.location = f.properties.url; });
    },
  }).addTo(map);
  var bounds = points.getBounds().isValid() ? points.getBounds() : base.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
  else map.setView([40.65, 109.9], 11);
})();
