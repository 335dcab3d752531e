// Region and case maps. Tiles are optional: without a tile server the GeoJSON is the map.
(function () {
  function drawMap(element) {
    const data = JSON.parse(document.getElementById(element.dataset.geojson).textContent);
    const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    const tiles = element.dataset.tiles;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    const layer = L.geoJSON(data, {
      style: (f) => ({
        color: f.properties.main ? "#b02a37" : "#0d6efd",
        weight: f.properties.main ? 3 : 1.5,
        fillOpacity: f.properties.main ? 0.05 : 0.15,
      }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 7, color: "#b02a37" }),
      onEachFeature: (f, l) => {
        if (f.properties.name) l.bindTooltip(f.properties.name);
        if (f.properties.url) l.on("click", () => { window.location = f.properties.url; });
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    else map.setView([40.65, 109.9], 11);
    element.wenmingMap = map;
  }
  document.querySelectorAll("[data-geojson]").forEach(drawMap);
})();
