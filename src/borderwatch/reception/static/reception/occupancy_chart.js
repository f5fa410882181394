// Occupancy over time: total occupied and capacity, and each facility's occupied places.
// The words come from the page (data-label-* of the canvas, in the user's language).
(function () {
  const data = JSON.parse(document.getElementById("occupancy-series").textContent);
  const canvas = document.getElementById("occupancy-chart");
  if (!canvas || typeof Chart === "undefined") return;
  const words = canvas.dataset;
  const datasets = [
    { label: words.labelCapacity || "Capacity (open facilities)", data: data.total.capacity, borderDash: [6, 4], borderColor: "#5b6775", pointRadius: 0 },
    { label: words.labelOccupied || "Occupied", data: data.total.occupied, borderColor: "#c62828", pointRadius: 0, borderWidth: 2 },
  ];
  if (data.facilities.length > 1 && data.facilities.length <= 12) {
    for (const f of data.facilities) {
      datasets.push({ label: f.name, data: f.occupied, pointRadius: 0, borderWidth: 1, hidden: true });
    }
  }
  new Chart(canvas, {
    type: "line",
    data: { labels: data.days, datasets: datasets },
    options: { locale: words.locale || "en", animation: false, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
  });
})();
