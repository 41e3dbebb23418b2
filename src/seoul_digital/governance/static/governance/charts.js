/* Plan-vs-actual charts for governance pages. Data comes from a json_script element; the
   same figures are in a table next to each chart, so the chart is never the only source. */
(function () {
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var type = canvas.dataset.kind || "bar";
    new Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: [
          { label: data.planned_label, data: data.planned, backgroundColor: "#9fb6c8",
            borderColor: "#00456b", borderWidth: 2, borderDash: type === "line" ? [6, 4] : [],
            pointStyle: "rectRot", pointRadius: 5 },
          { label: data.actual_label, data: data.actual, backgroundColor: "#005a9c",
            borderColor: "#005a9c", borderWidth: 2, pointStyle: "circle", pointRadius: 5 }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: data.axis_label } } },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true, font: { size: 14 } } } }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-source]").forEach(draw);
  });
})();
