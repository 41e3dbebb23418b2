/* Charts for the inclusion dashboards (vendored Chart.js). Every chart has the same figures
   in a table next to it; canvases carry data-chart (kind) and data-source (a json_script id). */
(function () {
  "use strict";
  var INK = "#1a1a1a", BLUE = "#005a9c", GREY = "#8a8a8a";

  function make(canvas, kind, data) {
    if (typeof Chart === "undefined") { return; }
    var config;
    if (kind === "reach") {
      config = {
        type: "bar",
        data: { labels: data.labels, datasets: [
          { label: data.label_reached, data: data.reached, backgroundColor: BLUE },
          { label: data.label_target, data: data.target, backgroundColor: "#ffffff", borderColor: INK, borderWidth: 2 }
        ] },
        options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
      };
    } else {
      config = {
        type: kind === "line" ? "line" : "bar",
        data: { labels: data.labels, datasets: [
          { label: data.label, data: data.values, backgroundColor: BLUE, borderColor: BLUE }
        ] },
        options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } },
                   plugins: { legend: { labels: { color: INK } } } }
      };
    }
    config.options.animation = false;  // no motion: steadier for older eyes, and for print
    config.options.color = INK;
    config.options.borderColor = GREY;
    new Chart(canvas, config);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-source"));
      if (!source) { return; }
      make(canvas, canvas.getAttribute("data-chart"), JSON.parse(source.textContent));
    });
  });
})();
