// Station page: forecast band and expected stock (Chart.js, vendored); the same numbers in a table.
(function () {
  var node = document.getElementById("chart-data");
  if (!node) return;
  var c = JSON.parse(node.textContent);
  if (!c) return;
  var hours = c.rent.map(function (_v, i) { return "+" + i + "h"; });
  var body = document.getElementById("forecast-rows");
  if (body) {
    c.rent.forEach(function (v, i) {
      var tr = document.createElement("tr");
      [hours[i], v.toFixed(2), c.rent_q10[i] + "–" + c.rent_q90[i], c.ret[i].toFixed(2),
       c.ret_q10[i] + "–" + c.ret_q90[i]].forEach(function (text, k) {
        var cell = document.createElement(k === 0 ? "th" : "td");
        if (k === 0) cell.scope = "row";
        cell.textContent = text;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }
  if (typeof Chart === "undefined") return;
  var f = document.getElementById("forecast-chart");
  if (f) {
    new Chart(f, { type: "line", data: { labels: hours, datasets: [
      { label: "대여 90%", data: c.rent_q90, borderWidth: 0, backgroundColor: "rgba(176,0,32,0.15)", fill: "+1", pointRadius: 0 },
      { label: "대여 10%", data: c.rent_q10, borderWidth: 0, pointRadius: 0 },
      { label: "대여 평균", data: c.rent, borderColor: "#b00020", pointStyle: "triangle", pointRadius: 5 },
      { label: "반납 90%", data: c.ret_q90, borderWidth: 0, backgroundColor: "rgba(11,79,168,0.15)", fill: "+1", pointRadius: 0 },
      { label: "반납 10%", data: c.ret_q10, borderWidth: 0, pointRadius: 0 },
      { label: "반납 평균", data: c.ret, borderColor: "#0b4fa8", borderDash: [6, 3], pointStyle: "rect", pointRadius: 5 }
    ] }, options: { animation: false, scales: { y: { beginAtZero: true, title: { display: true, text: "건/시간" } } } } });
  }
  var s = document.getElementById("stock-chart");
  if (s && c.stock_mean && c.stock_mean.length) {
    var labels = c.stock_mean.map(function (_v, i) { return "+" + i + "h"; });
    var flat = function (v) { return labels.map(function () { return v; }); };
    new Chart(s, { type: "line", data: { labels: labels, datasets: [
      { label: "90%", data: c.stock_q90, borderWidth: 0, backgroundColor: "rgba(27,110,32,0.15)", fill: "+1", pointRadius: 0 },
      { label: "10%", data: c.stock_q10, borderWidth: 0, pointRadius: 0 },
      { label: "예상 평균 재고", data: c.stock_mean, borderColor: "#1b6e20", pointRadius: 4 },
      { label: "최소", data: flat(c.low), borderColor: "#b00020", borderDash: [4, 4], pointRadius: 0 },
      { label: "최대", data: flat(c.high), borderColor: "#0b4fa8", borderDash: [4, 4], pointRadius: 0 }
    ] }, options: { animation: false, scales: { y: { beginAtZero: true, title: { display: true, text: "대" } } } } });
  }
})();
