/* Situational picture: draws the map (no tile server) and the daily chart from data the page
   and the picture API provide; re-draws after HTMX swaps the figures. */
(function () {
  "use strict";
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const LEVEL_COLOURS = {};
  ["low", "medium", "high", "critical"].forEach((l) => { LEVEL_COLOURS[l] = css("--" + l) || "#888"; });
  const numberFormat = new Intl.NumberFormat("en-GB");
  const timeFormats = {};
  /* An event's time on its own country's clock, named (the API gives the zone). */
  function localTime(iso, zone) {
    const tz = zone || "UTC";
    if (!timeFormats[tz]) {
      timeFormats[tz] = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: tz });
    }
    return timeFormats[tz].format(new Date(iso)) + " (" + tz + ")";
  }

  let map = null;
  let overlay = null;
  let chart = null;
  let bounded = false;

  /* A popup built from text nodes only: names come from the database. */
  function popup(title, rows) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const head = document.createElement("strong");
    head.textContent = title;
    box.appendChild(head);
    const list = document.createElement("dl");
    rows.forEach(([label, value]) => {
      if (value === null || value === undefined || value === "") return;
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    });
    box.appendChild(list);
    return box;
  }

  function initMap() {
    const el = document.getElementById("map");
    if (!el || typeof L === "undefined") return;
    map = L.map(el, { zoomSnap: 0.25, attributionControl: false, preferCanvas: true });
    map.setView([54.5, 25.0], 6);
    overlay = L.layerGroup().addTo(map);
    fetch(el.dataset.outlinesUrl, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((gj) => {
        if (!gj) return;
        L.geoJSON(gj, {
          interactive: false,
          style: (f) => ({
            color: "#8a99a8", weight: 1,
            fillColor: f.properties.member_state ? "#ffffff" : "#eef0f2", fillOpacity: 1,
          }),
        }).addTo(map).bringToBack();
      });
  }

  /* The level history of a section, newest first: level, effective date, reason. */
  function historyRows(history) {
    if (!history || !history.length) return [["History", "never assessed (low)"]];
    return history.map((h) => [h.effective, h.level + (h.reason ? " · " + h.reason : "")]);
  }

  function drawLayers(data) {
    overlay.clearLayers();
    const sections = L.geoJSON(data.sections, {
      style: (f) => ({ color: LEVEL_COLOURS[f.properties.level] || "#888", weight: 6, opacity: 0.9 }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindTooltip(p.code + ": " + p.level + " on " + data.end, { sticky: true });
        layer.bindPopup(popup(p.code + " " + p.name, [
          ["Impact level on " + data.end, p.level], ["Border", p.country + "–" + p.neighbour],
          ["Length", numberFormat.format(p.length_km) + " km"],
        ].concat(historyRows(p.history))));
      },
    }).addTo(overlay);
    L.geoJSON(data.events, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: Math.min(3 + Math.sqrt(f.properties.persons) * 1.5, 22),
        color: "#10243d", weight: 1, fillColor: "#10243d", fillOpacity: 0.45,
      }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindPopup(popup(p.type_label, [
          ["Persons", numberFormat.format(p.persons)], ["Local time", localTime(p.time, p.zone)],
          ["Section", p.section],
        ]));
      },
    }).addTo(overlay);
    (data.extra || []).forEach((extra) => {
      L.geoJSON(extra.geojson, {
        style: () => ({ color: extra.colour, weight: 2 }),
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 7, color: extra.colour, fillOpacity: 0.7 }),
        onEachFeature: (f, layer) => {
          const p = f.properties || {};
          const rows = Object.entries(p).filter(([k, v]) => k !== "label" && typeof v !== "object");
          layer.bindPopup(popup(p.label || extra.title, rows));
        },
      }).addTo(overlay);
    });
    const box = map.getContainer();  // counts for tests and assistive tools
    box.dataset.sections = String(data.sections.features.length);
    box.dataset.events = String(data.events.features.length);
    box.dataset.levels = data.sections.features.map((f) => f.properties.code + ":" + f.properties.level).join(" ");
    const note = document.getElementById("map-note");
    if (note) {
      note.textContent = data.capped
        ? "Showing the newest " + numberFormat.format(data.events_shown) + " of " +
          numberFormat.format(data.events_total) + " events; narrow the period to see all."
        : numberFormat.format(data.events_total) + " events shown.";
    }
    if (!bounded && sections.getLayers().length) {
      map.fitBounds(sections.getBounds(), { padding: [20, 20] });
      bounded = true;
    }
  }

  function loadLayers() {
    const state = document.getElementById("picture-state");
    if (!map || !state) return;
    fetch(state.dataset.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(drawLayers)
      .catch(() => {
        const note = document.getElementById("map-note");
        if (note) note.textContent = "The map layers could not be loaded.";
      });
  }

  function drawChart() {
    const source = document.getElementById("chart-data");
    const canvas = document.getElementById("daily-chart");
    if (!source || !canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const datasets = data.datasets.map((d) => ({
      label: d.label, data: d.data, borderColor: d.colour, backgroundColor: d.colour,
      borderWidth: 2, tension: 0.2,
      pointRadius: d.records.map((r) => (r ? 6 : 0)),
      pointBackgroundColor: d.records.map((r) => (r ? LEVEL_COLOURS.critical : d.colour)),
    }));
    if (chart) chart.destroy();
    chart = new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 12 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function refresh() { drawChart(); loadLayers(); }

  document.addEventListener("DOMContentLoaded", () => { initMap(); refresh(); });
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail && e.detail.target && e.detail.target.id === "figures") refresh();
  });
})();
