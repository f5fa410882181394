// Observed days, the forecast and its interval (a filled band); on a what-if run also the
// regressor model's forecast with the flights as recorded, so the two can be compared.
(function () {
  const source = document.getElementById("forecast-series");
  const canvas = document.getElementById("forecast-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const words = canvas.dataset;
  const days = data.history.map((d) => d.day).concat(data.forecast.map((d) => d.day));
  const pad = (values, before) => new Array(before).fill(null).concat(values);
  const n = data.history.length;
  const datasets = [
    { label: words.labelObserved, data: data.history.map((d) => d.value), borderColor: "#333333", pointRadius: 0, borderWidth: 1.5 },
    { label: words.labelBand, data: pad(data.forecast.map((d) => d.hi), n), borderColor: "rgba(0,114,178,0.3)", backgroundColor: "rgba(0,114,178,0.18)", pointRadius: 0, fill: "+1" },
    { label: "", data: pad(data.forecast.map((d) => d.lo), n), borderColor: "rgba(0,114,178,0.3)", pointRadius: 0, fill: false },
    { label: words.labelForecast, data: pad(data.forecast.map((d) => d.mean), n), borderColor: "#0072B2", pointRadius: 2, borderWidth: 2 },
  ];
  if (data.unchanged.length) {
    datasets.push({ label: words.labelUnchanged, data: pad(data.unchanged.map((d) => d.mean), n), borderColor: "#D55E00", borderDash: [6, 4], pointRadius: 0, borderWidth: 2 });
  }
  new Chart(canvas, {
    type: "line",
    data: { labels: days, datasets: datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { filter: (item) => item.text !== "" } } },
      scales: { y: { beginAtZero: true } },
    },
  });
  canvas.dataset.drawn = "true";
})();
