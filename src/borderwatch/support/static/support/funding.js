// The funding statement's chart: offered, awarded, allocated and spent per decision (EUR).
(function () {
  var source = document.getElementById("funding-data");
  var canvas = document.getElementById("funding-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.data.map(Number), backgroundColor: colours[i % 4] };
      })
    },
    options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } }
  });
})();
