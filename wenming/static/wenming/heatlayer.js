// A small canvas heat layer for Leaflet: each point adds a blurred circle of alpha to a grey
// canvas; the alpha is then coloured through a blue → yellow → red gradient.
(function () {
  if (!window.L) return;
  function gradient() {
    const c = document.createElement("canvas");
    c.width = 1; c.height = 256;
    const g = c.getContext("2d");
    const grad = g.createLinearGradient(0, 0, 0, 256);
    grad.addColorStop(0.2, "rgba(0,0,255,1)");
    grad.addColorStop(0.5, "rgba(0,255,255,1)");
    grad.addColorStop(0.7, "rgba(255,255,0,1)");
    grad.addColorStop(1.0, "rgba(255,0,0,1)");
    g.fillStyle = grad; g.fillRect(0, 0, 1, 256);
    return g.getImageData(0, 0, 1, 256).data;
  }
  function stamp(radius, blur) {
    const c = document.createElement("canvas");
    const r = radius + blur;
    c.width = c.height = r * 2;
    const g = c.getContext("2d");
    g.shadowOffsetX = g.shadowOffsetY = r * 2;
    g.shadowBlur = blur;
    g.shadowColor = "black";
    g.beginPath();
    g.arc(-r, -r, radius, 0, Math.PI * 2);
    g.fill();
    return c;
  }
  L.HeatLayer = L.Layer.extend({
    initialize: function (points, options) {
      this._points = points || [];
      L.setOptions(this, Object.assign({ radius: 18, blur: 15, maxOpacity: 0.75, weight: 0.25 }, options));
    },
    setLatLngs: function (points) { this._points = points; this._redraw(); return this; },
    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend zoomend resize", this._redraw, this);
      this._gradient = gradient();
      this._stamp = stamp(this.options.radius, this.options.blur);
      this._redraw();
    },
    onRemove: function (map) {
      map.getPanes().overlayPane.removeChild(this._canvas);
      map.off("moveend zoomend resize", this._redraw, this);
    },
    _redraw: function () {
      if (!this._map) return;
      const size = this._map.getSize();
      const canvas = this._canvas;
      canvas.width = size.x; canvas.height = size.y;
      L.DomUtil.setPosition(canvas, this._map.containerPointToLayerPoint([0, 0]));
      const g = canvas.getContext("2d");
      const r = this.options.radius + this.options.blur;
      g.globalAlpha = this.options.weight;
      for (const p of this._points) {
        const pt = this._map.latLngToContainerPoint(p);
        g.drawImage(this._stamp, pt.x - r, pt.y - r);
      }
      if (!size.x || !size.y) return;
      const image = g.getImageData(0, 0, size.x, size.y);
      const px = image.data;
      for (let i = 3; i < px.length; i += 4) {
        const a = px[i];
        if (!a) continue;
        const j = a * 4;
        px[i - 3] = this._gradient[j]; px[i - 2] = this._gradient[j + 1]; px[i - 1] = this._gradient[j + 2];
        px[i] = Math.min(255, a * 1.6) * this.options.maxOpacity;
      }
      g.putImageData(image, 0, 0);
    },
  });
  L.heatLayer = function (points, options) { return new L.HeatLayer(points, options); };
})();
