// The alert page's chart: the watched metric's daily values over the last 30 days, with the
// bound or expected level as a dashed line.
(function () {
  const data = JSON.parse(JSON.parse(document.getElementById("alert-chart-data").textContent));
  const datasets = [
    { type: "bar", label: data.valueLabel, data: data.values, backgroundColor: "rgba(29,53,87,.7)", order: 2 },
  ];
  if (data.reference !== null) {
    datasets.push({
      type: "line",
      label: data.referenceLabel,
      // One level for every day, or (a target's quarterly split) one per day.
      data: Array.isArray(data.reference) ? data.reference : data.labels.map(() => data.reference),
      borderColor: "#e63946",
      borderDash: [6, 4],
      pointRadius: 0,
      order: 1,
    });
  }
  new Chart(document.getElementById("alert-chart"), {
    data: { labels: data.labels, datasets: datasets },
    options: { animation: false, responsive: true, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
  });
})();
