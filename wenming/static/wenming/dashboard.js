// Command dashboard: draws the map and the charts once, then fetches the data endpoint every
// `data-refresh` seconds and updates them in place (no page reload).
(function () {
  const root = document.getElementById("wm-dash");
  if (!root || !window.echarts || !window.L) return;
  const testing = navigator.webdriver || new URLSearchParams(location.search).has("test");
  const animation = !testing;
  const text = { color: "#dce6f5" };
  const axis = { axisLabel: text, axisLine: { lineStyle: { color: "#4a6a96" } }, splitLine: { lineStyle: { color: "rgba(90,150,230,.15)" } } };
  const charts = {};
  function chart(id, base) {
    const element = document.getElementById(id);
    const c = echarts.init(element, null, { renderer: "canvas" });
    c.setOption(Object.assign({ animation: animation, textStyle: text, grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true } }, base));
    charts[id] = c;
    if (window.ResizeObserver) new ResizeObserver(() => c.resize()).observe(element);
    return c;
  }
  chart("chart-state", { xAxis: Object.assign({ type: "value" }, axis), yAxis: Object.assign({ type: "category", inverse: true }, axis), series: [{ type: "bar", itemStyle: { color: "#3d8bfd" }, label: { show: true, position: "right", color: "#fff" } }] });
  chart("chart-channel", { tooltip: {}, legend: { orient: "vertical", right: 0, top: "middle", textStyle: text }, series: [{ type: "pie", radius: ["40%", "70%"], center: ["35%", "50%"], label: { show: false } }] });
  chart("chart-trend", { tooltip: { trigger: "axis" }, legend: { textStyle: text, top: 0 }, xAxis: Object.assign({ type: "category" }, axis), yAxis: Object.assign({ type: "value" }, axis), series: [
    { name: root.dataset.labelReceived, type: "line", smooth: true, itemStyle: { color: "#ffc107" }, areaStyle: { opacity: 0.15 } },
    { name: root.dataset.labelClosed, type: "line", smooth: true, itemStyle: { color: "#20c997" }, areaStyle: { opacity: 0.15 } },
  ] });
  chart("chart-categories", { xAxis: Object.assign({ type: "value" }, axis), yAxis: Object.assign({ type: "category", inverse: true }, axis), series: [{ type: "bar", itemStyle: { color: "#e35d6a" }, label: { show: true, position: "right", color: "#fff" } }] });

  // The map: GeoJSON base layer (tiles only when configured), heat of open cases, overdue dots.
  const mapElement = document.getElementById("wm-dash-map");
  const map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.25, preferCanvas: true, fadeAnimation: animation, zoomAnimation: animation });
  if (mapElement.dataset.tiles) L.tileLayer(mapElement.dataset.tiles, { maxZoom: 19 }).addTo(map);
  const base = L.geoJSON(JSON.parse(document.getElementById("wm-dash-base").textContent), {
    style: (f) => ({ color: f.properties.main ? "#ff6b6b" : "#5aa0ff", weight: f.properties.main ? 2.5 : 1, fillColor: "#17345c", fillOpacity: f.properties.main ? 0.2 : 0.1 }),
    onEachFeature: (f, l) => { if (f.properties.name && !f.properties.main) l.bindTooltip(f.properties.name, { permanent: false }); },
  }).addTo(map);
  const bounds = base.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] }); else map.setView([40.65, 109.9], 11);
  map.createPane("wm-overdue").style.zIndex = 450;  // above the heat canvas
  const heat = L.heatLayer([], { radius: 22, blur: 18, weight: 0.45 }).addTo(map);
  const overdue = L.layerGroup().addTo(map);

  function get(data, path) { return path.split(".").reduce((v, k) => (v == null ? v : v[k]), data); }
  function rate(v) { return v == null ? "—" : v.toFixed(1) + "%"; }

  function update(data) {
    document.querySelectorAll("[data-kpi]").forEach((el) => { const v = get(data, el.dataset.kpi); el.textContent = v == null ? "—" : v.toLocaleString(); });
    document.querySelectorAll("[data-rate]").forEach((el) => { el.textContent = rate(get(data, el.dataset.rate)); });
    document.getElementById("wm-month-label").textContent = data.month.label;
    const states = data.live.by_state.filter((s) => s.count > 0);
    charts["chart-state"].setOption({ yAxis: { data: states.map((s) => s.label) }, series: [{ data: states.map((s) => s.count) }] });
    charts["chart-channel"].setOption({ series: [{ data: data.live.by_channel.filter((c) => c.count > 0).map((c) => ({ name: c.label, value: c.count })) }] });
    charts["chart-trend"].setOption({ xAxis: { data: data.trend.days.map((d) => d.slice(5)) }, series: [{ data: data.trend.received }, { data: data.trend.closed }] });
    charts["chart-categories"].setOption({ yAxis: { data: data.top_categories.map((c) => c.name) }, series: [{ data: data.top_categories.map((c) => c.count) }] });
    const hot = document.getElementById("wm-hotspots");
    hot.replaceChildren(...data.hotspots.map((h) => { const li = document.createElement("li"); li.textContent = h.name; const b = document.createElement("b"); b.textContent = h.count; li.append(b); return li; }));
    const acts = document.getElementById("wm-activities");
    if (acts && data.activities) acts.replaceChildren(...data.activities.by_kind.map((a) => { const li = document.createElement("li"); li.textContent = a.label; const b = document.createElement("b"); b.textContent = a.count + " / " + a.participants.toLocaleString(); li.append(b); return li; }));
    const rows = document.getElementById("wm-ranking");
    rows.replaceChildren(...data.ranking.map((r) => {
      const tr = document.createElement("tr");
      const cells = [r.rank, r.name, r.composite == null ? "—" : r.composite.toFixed(1)];
      cells.forEach((v, i) => { const td = document.createElement("td"); td.textContent = v; if (i === 2) td.className = "text-end"; tr.append(td); });
      const td = document.createElement("td"); const g = document.createElement("span"); g.className = "wm-grade wm-grade-" + r.grade; g.textContent = r.grade; td.append(g); tr.append(td);
      return tr;
    }));
    heat.setLatLngs(data.map.map((p) => [p.lat, p.lon]));
    overdue.clearLayers();
    data.map.filter((p) => p.overdue).forEach((p) => {
      L.circleMarker([p.lat, p.lon], { pane: "wm-overdue", radius: 5, color: "#fff", weight: 1, fillColor: "#ff3b3b", fillOpacity: 1 })
        .bindTooltip(p.code + " " + p.title + " · " + root.dataset.labelOverdue).addTo(overdue);
    });
    document.getElementById("wm-dash-updated").textContent = data.generated_at.replace("T", " ").slice(0, 19);
    root.dataset.loaded = "true";
  }

  // The city's time, wherever the screen's browser thinks it is.
  const lang = document.documentElement.lang || undefined;
  const cityTime = { timeZone: root.dataset.timeZone || undefined, hour12: false };
  const clock = new Intl.DateTimeFormat(lang, { ...cityTime, dateStyle: "medium", timeStyle: "medium" });
  const clockTime = new Intl.DateTimeFormat(lang, { ...cityTime, timeStyle: "medium" });

  function load() {
    fetch(root.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(update)
      .catch(() => { document.getElementById("wm-dash-updated").textContent = "⚠ " + clockTime.format(new Date()); });
  }
  function tick() { document.getElementById("wm-dash-clock").textContent = clock.format(new Date()); }
  tick(); setInterval(tick, 1000);
  load(); setInterval(load, Number(root.dataset.refresh || 30) * 1000);
  window.addEventListener("resize", () => { Object.values(charts).forEach((c) => c.resize()); map.invalidateSize(); });
})();
