// The campaign page's chart: cumulative actual of the headline goal against a straight line to its target.
(function () {
  const data = JSON.parse(JSON.parse(document.getElementById("goal-chart-data").textContent));
  new Chart(document.getElementById("goal-chart"), {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.actualLabel, data: data.actual, borderColor: "#1d3557", backgroundColor: "rgba(29,53,87,.15)", fill: true, tension: 0.2, pointRadius: 2 },
        { label: data.paceLabel, data: data.pace, borderColor: "#e63946", borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, responsive: true, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
  });
})();
