// Draws each table of the dashboard as a chart (Chart.js, served from this site). The numbers come
// from the JSON next to each canvas; the table under "Show as table" has the same numbers.
(function () {
  "use strict";
  const COLOURS = ["#2e6da4", "#e07b00", "#3c9b5a", "#b8336a", "#7a5cc2", "#8a8a8a", "#c4a000"];
  const locale = document.documentElement.lang || "nl";
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  function format(value, unit) {
    if (unit === "percent") return number.format(value) + " %";
    if (unit === "euro") return "€ " + number.format(value);
    return number.format(value);
  }

  function draw(canvas) {
    const script = document.getElementById(canvas.dataset.chart);
    if (!script || typeof Chart === "undefined") return;
    const data = JSON.parse(script.textContent);
    const stacked = data.type === "stacked";
    const line = data.type === "line";
    const many = data.labels.length > 8;
    const percent = data.datasets.length && data.datasets.every(function (set) { return set.unit === "percent"; });
    const valueAxis = {
      stacked: stacked,
      beginAtZero: true,
      suggestedMax: percent ? 100 : undefined,
      ticks: { callback: function (value) { return format(value, percent ? "percent" : "count"); } },
    };
    const labelAxis = { stacked: stacked, ticks: { autoSkip: !many } };
    const horizontal = many && !line;
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          const colour = COLOURS[index % COLOURS.length];
          return {
            label: set.label, data: set.data, unit: set.unit, backgroundColor: colour, borderColor: colour,
            tension: 0.2, maxBarThickness: 48,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + format(context.raw, context.dataset.unit);
              },
            },
          },
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
    canvas.closest(".insights-chart").classList.toggle("insights-chart--tall", horizontal);
    canvas.dataset.drawn = "true";
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    // The custom days only matter for a custom period.
    const period = document.getElementById("id_period");
    const toggle = function () {
      const custom = period.value === "custom";
      document.querySelectorAll(".insights-filter__start, .insights-filter__end").forEach(function (el) { el.hidden = !custom; });
      document.querySelectorAll(".insights-filter__at").forEach(function (el) { el.hidden = custom; });
    };
    if (period) { period.addEventListener("change", toggle); toggle(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
