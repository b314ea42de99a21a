// Draws the dashboard's charts from the figures in <script id="dashboard-data">. The tables
// beside each chart hold the same figures: without JavaScript, the page shows only them.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var blue = "#1d70b8";
  var green = "#00703c";
  var grey = "#505a5f";

  function percent(value) {
    return value === null || value === undefined ? "not available" : (value * 100).toFixed(1) + "%";
  }

  function show(name) {
    var box = document.querySelector('[data-chart="' + name + '"]');
    if (!box) {
      return null;
    }
    box.hidden = false;
    return box.querySelector("canvas");
  }

  function percentAxis(title) {
    return {
      min: 0,
      max: 1,
      title: { display: true, text: title },
      ticks: { callback: function (value) { return Math.round(value * 100) + "%"; } }
    };
  }

  function tooltip() {
    return {
      callbacks: {
        label: function (item) { return item.dataset.label + ": " + percent(item.parsed.y); }
      }
    };
  }

  if (data.quarters && data.quarters.length) {
    var canvas = show("quarters");
    if (canvas) {
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.quarters.map(function (q) { return q.label; }),
          datasets: [
            {
              label: "Compliance rate",
              data: data.quarters.map(function (q) { return q.compliance; }),
              borderColor: green,
              backgroundColor: green,
              pointStyle: "rect",
              spanGaps: false
            },
            {
              label: "Proven reoffending rate",
              data: data.quarters.map(function (q) { return q.reoffending; }),
              borderColor: blue,
              backgroundColor: blue,
              pointStyle: "circle",
              spanGaps: false
            },
            {
              label: "Reoffending baseline",
              data: data.quarters.map(function () { return data.baseline; }),
              borderColor: grey,
              borderDash: [6, 4],
              pointRadius: 0
            }
          ]
        },
        options: {
          animation: false,
          scales: { y: percentAxis("Rate") },
          plugins: { tooltip: tooltip() }
        }
      });
    }
  }

  if (data.km && data.km.length) {
    var kmCanvas = show("km");
    if (kmCanvas) {
      new window.Chart(kmCanvas, {
        type: "line",
        data: {
          datasets: [
            {
              label: "Share not yet reoffended",
              data: data.km.map(function (step) { return { x: step[0], y: step[1] }; }),
              borderColor: blue,
              backgroundColor: blue,
              stepped: "before",
              pointRadius: 0
            }
          ]
        },
        options: {
          animation: false,
          parsing: false,
          scales: {
            x: { type: "linear", min: 0, max: 366, title: { display: true, text: "Days since the index caution" } },
            y: percentAxis("Share not yet reoffended")
          },
          plugins: { tooltip: tooltip() }
        }
      });
    }
  }
})();
