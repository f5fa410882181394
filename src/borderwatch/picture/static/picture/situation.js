/* Situational picture: draws the map (no tile server) and the daily chart from data the page
   and the picture API provide; re-draws after HTMX swaps the figures. */
(function () {
  "use strict";
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const LEVEL_COLOURS = {};
  ["low", "medium", "high", "critical"].forEach((l) => { LEVEL_COLOURS[l] = css("--" + l) || "#888"; });
  /* The page's words in the reader's language (situation.html passes them as JSON). */
  const textNode = document.getElementById("picture-text");
  const TEXT = textNode ? JSON.parse(textNode.textContent) : {};
  const LOCALE = TEXT.locale || "en-GB";
  /* A message with {name} slots filled; the English words when the page passed none. */
  function t(key, fallback, values) {
    const template = typeof TEXT[key] === "string" ? TEXT[key] : fallback;
    return template.replace(/\{(\w+)\}/g, (m, name) => (values && name in values ? String(values[name]) : m));
  }
  /* The plural form for count: the sample number of the same Intl plural category. */
  function plural(key, fallback, count, values) {
    const forms = TEXT[key];
    if (!forms || typeof forms !== "object") return t("", fallback, values);
    const rules = new Intl.PluralRules(LOCALE);
    const category = rules.select(count);
    const sample = Object.keys(forms).find((n) => rules.select(Number(n)) === category);
    return t("", forms[sample || Object.keys(forms)[0]], values);
  }
  const levelLabel = (level) => (TEXT.levels && TEXT.levels[level]) || level;
  const numberFormat = new Intl.NumberFormat(LOCALE);
  const dayFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" });
  /* An ISO day (YYYY-MM-DD) for reading. */
  const day = (iso) => (iso ? dayFormat.format(new Date(iso + "T00:00:00Z")) : iso);
  const timeFormats = {};
  /* An event's time on its own country's clock, named (the API gives the zone). */
  function localTime(iso, zone) {
    const tz = zone || "UTC";
    if (!timeFormats[tz]) {
      timeFormats[tz] = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone: tz });
    }
    return timeFormats[tz].format(new Date(iso)) + " (" + tz + ")";
  }

  let map = null;
  let overlay = null;
  let chart = null;
  let fitted = null;  // the member states the map was last fitted to

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

  /* Panes from bottom to top: outlines, the drawn layers, towns, badges (coverage),
     annotations. The drawn layers share one canvas (`vectors`), drawn in the order they are
     added: sections (thick, their colour must show), events (small, see-through), facilities.
     A canvas takes every pointer event over the whole map, so a canvas per pane would leave
     only the top one's layers reachable: a section's tooltip and popup (its level history)
     never opened under the events' canvas. */
  const PANES = { sections: 405, towns: 410, badges: 435, annotations: 440 };
  let vectors = null;
  /* The other apps' layers (data.extra) by key, and those the reader switched off in the
     legend: they stay off when the period or the countries change. */
  let extraGroups = {};
  const hiddenLayers = new Set();

  function initMap() {
    const el = document.getElementById("map");
    if (!el || typeof L === "undefined") return;
    map = L.map(el, { zoomSnap: 0.25, attributionControl: false, preferCanvas: true });
    Object.entries(PANES).forEach(([name, z]) => { map.createPane(name).style.zIndex = String(z); });
    map.getPane("towns").style.pointerEvents = "none";
    vectors = L.canvas({ pane: "sections" });
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
    if (el.dataset.townsUrl) {
      fetch(el.dataset.townsUrl, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((gj) => { if (gj) initTowns(gj); });
    }
  }

  /* Town names as labels: the largest when zoomed out, more as one zooms in. */
  function initTowns(gj) {
    const labels = L.layerGroup().addTo(map);
    const towns = gj.features.map((f) => ({
      zoom: f.properties.min_zoom,
      marker: L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
        pane: "towns", interactive: false, keyboard: false,
        icon: L.divIcon({
          className: "town-label" + (f.properties.min_zoom <= 6 ? " town-major" : ""),
          html: "<span></span>", iconSize: null,
        }),
      }),
      name: f.properties.name,
    }));
    function show() {
      const zoom = map.getZoom();
      labels.clearLayers();
      towns.forEach((t) => {
        if (t.zoom <= zoom) {
          t.marker.addTo(labels);
          const span = t.marker.getElement() && t.marker.getElement().querySelector("span");
          if (span) span.textContent = t.name;  // a text node: names come from a data file
        }
      });
      map.getContainer().dataset.towns = String(labels.getLayers().length);
    }
    map.on("zoomend", show);
    show();
  }

  /* The level history of a section, newest first: level, effective date, reason. */
  function historyRows(history) {
    if (!history || !history.length) return [[t("history", "History"), t("never_assessed", "never assessed (low)")]];
    return history.map((h) => [day(h.effective), levelLabel(h.level) + (h.reason ? " · " + h.reason : "")]);
  }

  function sectionStyle(f) {
    return { color: LEVEL_COLOURS[f.properties.level] || "#888", weight: 8, opacity: 1, renderer: vectors };
  }

  /* A flag per member state on the middle of its border, listing the annotations in force. */
  function drawAnnotations(data, sectionsByState) {
    const byState = {};
    (data.annotations || []).forEach((a, i) => {
      (byState[a.member_state] = byState[a.member_state] || []).push([i + 1, a]);
    });
    let shown = 0;
    Object.entries(byState).forEach(([state, items]) => {
      const layer = sectionsByState[state];
      if (!layer) return;
      const centre = layer.getBounds().getCenter();
      const numbers = items.map(([n]) => n).join(",");
      const marker = L.marker(centre, {
        pane: "annotations", keyboard: true, title: state + ": " + items.map(([, a]) => a.kind_label).join("; "),
        icon: L.divIcon({ className: "annotation-flag", html: "<span></span>", iconSize: null, iconAnchor: [0, 28] }),
      });
      marker.bindPopup(popup(t("what_happened", "{state}: what happened", { state: state }), items.map(([n, a]) => [
        a.day_to
          ? t("annotation_period", "{number}. {kind}, {from} to {to}", { number: n, kind: a.kind_label, from: day(a.day_from), to: day(a.day_to) })
          : t("annotation_from", "{number}. {kind}, from {from}", { number: n, kind: a.kind_label, from: day(a.day_from) }),
        t("annotation_source", "{title} (source: {source})", { title: a.title, source: a.source }),
      ])));
      marker.addTo(overlay);
      const span = marker.getElement() && marker.getElement().querySelector("span");
      if (span) span.textContent = "\u2691 " + numbers;
      shown += items.length;
    });
    map.getContainer().dataset.annotations = String(shown);
  }

  function drawLayers(data) {
    overlay.clearLayers();
    L.geoJSON(data.sections, {  // a dark casing under the level colour, so light colours read
      interactive: false, renderer: vectors, style: () => ({ color: "#ffffff", weight: 12, opacity: 1 }),
    }).addTo(overlay);
    const sectionsByState = {};
    const sections = L.geoJSON(data.sections, {
      renderer: vectors,
      style: sectionStyle,
      onEachFeature: (f, layer) => {
        const p = f.properties;
        const level = levelLabel(p.level);
        /* on hover: the level in force at the period's end, then the history that led to it */
        layer.bindTooltip(popup(t("section_tooltip", "{code}: {level} on {day}", { code: p.code, level: level, day: day(data.end) }),
          historyRows(p.history)), { sticky: true });
        layer.bindPopup(popup(p.code + " " + p.name, [
          [t("level_on", "Impact level on {day}", { day: day(data.end) }), level],
          [t("border", "Border"), p.country + "–" + p.neighbour],
          [t("length", "Length"), t("length_value", "{km} km", { km: numberFormat.format(p.length_km) })],
        ].concat(historyRows(p.history))));
        (sectionsByState[p.country] = sectionsByState[p.country] || L.featureGroup()).addLayer(L.polyline(layer.getLatLngs()));
      },
    }).addTo(overlay);
    L.geoJSON(data.events, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        renderer: vectors,
        radius: Math.min(1.5 + Math.sqrt(f.properties.persons) * 0.6, 8),
        stroke: false, fillColor: "#10243d", fillOpacity: 0.22,
      }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindPopup(popup(p.type_label, [
          [t("persons", "Persons"), numberFormat.format(p.persons)],
          [t("local_time", "Local time"), localTime(p.time, p.zone)],
          [t("section", "Section"), p.section],
        ]));
      },
    }).addTo(overlay);
    const bounds = L.latLngBounds([]);
    if (sections.getLayers().length) bounds.extend(sections.getBounds());
    extraGroups = {};
    (data.extra || []).forEach((extra) => {
      const layer = L.geoJSON(extra.geojson, {
        renderer: vectors,
        style: () => ({ color: extra.colour, weight: 2 }),
        pointToLayer: (f, latlng) => (f.properties.badge !== undefined
          ? badgeMarker(f.properties, latlng, extra.colour)
          : L.circleMarker(latlng, {
            renderer: vectors, radius: 7, weight: 2, color: "#ffffff",
            fillColor: f.properties.alert ? LEVEL_COLOURS.critical : extra.colour, fillOpacity: 0.95,
          })),
        onEachFeature: (f, layer) => {
          const p = f.properties || {};
          const rows = p.popup || Object.entries(p).filter(([k, v]) => k !== "label" && typeof v !== "object");
          layer.bindPopup(popup(p.label || extra.title, rows));
        },
      });
      extraGroups[extra.key] = { layer: layer, features: extra.geojson.features.length };
      if (!hiddenLayers.has(extra.key)) layer.addTo(overlay);
      if (layer.getLayers().length) bounds.extend(layer.getBounds());
    });
    drawLegendExtras(data.extra || []);
    countExtras();
    drawAnnotations(data, sectionsByState);
    const box = map.getContainer();  // counts for tests and assistive tools
    box.dataset.sections = String(data.sections.features.length);
    box.dataset.events = String(data.events.features.length);
    box.dataset.levels = data.sections.features.map((f) => f.properties.code + ":" + f.properties.level).join(" ");
    const note = document.getElementById("map-note");
    if (note) {
      note.textContent = data.capped
        ? t("events_capped", "Showing the newest {shown} of {total} events; narrow the period to see all.", {
          shown: numberFormat.format(data.events_shown), total: numberFormat.format(data.events_total),
        })
        : plural("events_shown", "{count} events shown.", data.events_total, { count: numberFormat.format(data.events_total) });
    }
    /* Re-fit whenever the chosen countries change (not on a change of dates alone). */
    const states = Object.keys(sectionsByState).sort().join(",");
    if (states !== fitted && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
      fitted = states;
      box.dataset.fitted = states;
    }
  }

  /* A point shown as its badge text (e.g. officers · equipment of a section): a text node in a
     focusable marker, named by its title; an alert (pressure rising, coverage thin) stands out;
     an empty badge (nothing deployed) is a small dot. */
  function badgeMarker(p, latlng, colour) {
    const span = document.createElement("span");
    span.textContent = p.badge;
    if (!p.alert) span.style.borderColor = colour;
    return L.marker(latlng, {
      pane: "badges", keyboard: true, title: p.title || p.label,
      icon: L.divIcon({
        className: "map-badge" + (p.alert ? " alert" : "") + (p.badge ? "" : " empty"), html: span, iconSize: null,
      }),
    });
  }

  /* Which other apps' layers are on the map, with their features: "coverage:3 reception:5". */
  function countExtras() {
    if (!map) return;
    map.getContainer().dataset.extra = Object.entries(extraGroups)
      .filter(([key]) => !hiddenLayers.has(key))
      .map(([key, g]) => key + ":" + g.features).join(" ");
  }

  /* Switch one of the other apps' layers on or off (the legend's checkbox). */
  function showExtra(key, on) {
    const group = extraGroups[key];
    if (on) hiddenLayers.delete(key); else hiddenLayers.add(key);
    if (group) {
      if (on) overlay.addLayer(group.layer); else overlay.removeLayer(group.layer);
    }
    countExtras();
  }

  /* Legend entries of the layers other apps add (reception facilities, Frontex coverage), each
     with a checkbox that switches it on or off. */
  function drawLegendExtras(extras) {
    const slot = document.getElementById("legend-extra");
    if (!slot) return;
    slot.replaceChildren();
    extras.forEach((extra) => {
      const item = document.createElement("span");
      const toggle = document.createElement("label");
      toggle.className = "layer-toggle";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "layer";
      box.value = extra.key;
      box.checked = !hiddenLayers.has(extra.key);
      box.addEventListener("change", () => showExtra(extra.key, box.checked));
      const mark = document.createElement("i");
      mark.className = "facility-dot";
      mark.style.background = extra.colour;
      const alert = document.createElement("i");
      alert.className = "facility-dot";
      alert.style.background = LEVEL_COLOURS.critical;
      toggle.append(box, document.createTextNode(" "), mark, document.createTextNode(" " + extra.title));
      item.append(toggle, document.createTextNode(" ("), alert,
        document.createTextNode(" " + (extra.alert_label || t("facility_alert", "above 90 %; select one for its occupancy")) + ")"));
      slot.appendChild(item);
      (extra.notes || []).forEach((n) => {
        const note = document.createElement("span");
        note.className = "muted";
        note.textContent = n;
        slot.appendChild(note);
      });
    });
  }

  function loadLayers() {
    const state = document.getElementById("picture-state");
    if (!map || !state) return;
    fetch(state.dataset.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(drawLayers)
      .catch(() => {
        const note = document.getElementById("map-note");
        if (note) note.textContent = t("layers_failed", "The map layers could not be loaded.");
      });
  }

  /* Annotations as shaded days with their number at the top (a small Chart.js plugin: no
     annotation plugin is installed). */
  const annotationBands = {
    id: "annotationBands",
    beforeDatasetsDraw(c, args, options) {
      const bands = options.bands || [];
      if (!bands.length) return;
      const x = c.scales.x;
      const area = c.chartArea;
      const ctx = c.ctx;
      const step = x.getPixelForValue(1) - x.getPixelForValue(0) || 0;
      ctx.save();
      bands.forEach((b, i) => {
        const left = Math.max(area.left, x.getPixelForValue(b.from_index) - step / 2);
        const right = Math.min(area.right, x.getPixelForValue(b.to_index) + step / 2);
        ctx.globalAlpha = 0.12;
        ctx.fillStyle = b.colour;
        ctx.fillRect(left, area.top, Math.max(right - left, 2), area.bottom - area.top);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = b.colour;
        ctx.lineWidth = 2;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(left, area.top);
        ctx.lineTo(left, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#1d2733";
        ctx.font = "600 12px system-ui, sans-serif";
        ctx.fillText("\u2691 " + b.number + " " + b.member_state, left + 4, area.top + 14 + (i % 3) * 15);
      });
      ctx.restore();
    },
  };

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
      plugins: [annotationBands],
      options: {
        maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 12 } } },
        plugins: { legend: { position: "bottom" }, annotationBands: { bands: data.annotations || [] } },
      },
    });
    canvas.dataset.annotations = String((data.annotations || []).length);
  }

  function refresh() { drawChart(); loadLayers(); }

  document.addEventListener("DOMContentLoaded", () => { initMap(); refresh(); });
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail && e.detail.target && e.detail.target.id === "figures") refresh();
  });
})();
