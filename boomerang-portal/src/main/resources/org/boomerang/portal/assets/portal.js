// Boomerang portal: draws the RPO-over-time chart of an item page with uPlot. No inline script
// anywhere (the Content-Security-Policy allows scripts from this origin only).
(function () {
  "use strict";

  function draw(el) {
    fetch(el.dataset.rpoSrc, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (d) {
        el.textContent = "";
        if (!d.t.length) {
          var p = document.createElement("p");
          p.className = "empty";
          p.textContent = "No recovery points yet: the chart starts with the first one.";
          el.appendChild(p);
          return;
        }
        var threshold = d.t.map(function () { return d.threshold; });
        var opts = {
          width: Math.max(280, el.clientWidth - 8),
          height: 230,
          scales: { x: { time: true } },
          axes: [{}, { label: "RPO (s)" }],
          series: [
            {},
            { label: "RPO (s)", stroke: "#1f5fbf", width: 2, fill: "rgba(31,95,191,0.08)", points: { show: false } },
            { label: "threshold (s)", stroke: "#b3261e", width: 1, dash: [6, 4], points: { show: false } }
          ]
        };
        var chart = new uPlot(opts, [d.t, d.rpo, threshold], el);
        el.dataset.points = String(d.t.length);
        window.addEventListener("resize", function () {
          chart.setSize({ width: Math.max(280, el.clientWidth - 8), height: 230 });
        });
      })
      .catch(function (e) {
        el.textContent = "The chart could not be loaded (" + e.message + ").";
      });
  }

  function init() {
    document.querySelectorAll("[data-rpo-src]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
