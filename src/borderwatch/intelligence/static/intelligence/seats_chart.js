// Seats into Minsk per week (bars, left axis) beside crossings per week (line, right axis).
// The words come from the page (data-label-* of the canvas, in the user's language).
(function () {
  const source = document.getElementById("seats-series");
  const canvas = document.getElementById("seats-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const words = canvas.dataset;
  new Chart(canvas, {
    data: {
      labels: data.weeks,
      datasets: [
        { type: "bar", label: words.labelSeats, data: data.seats, backgroundColor: "#0072B2", yAxisID: "seats" },
        { type: "line", label: words.labelCrossings, data: data.crossings, borderColor: "#D55E00", pointRadius: 0, borderWidth: 2, yAxisID: "crossings" },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        seats: { position: "left", beginAtZero: true, title: { display: true, text: words.labelSeats } },
        crossings: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: words.labelCrossings } },
      },
    },
  });
  canvas.dataset.drawn = "true";
})();
