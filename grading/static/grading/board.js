// Grading board charts: data comes from the json_script block (CSP: no inline JS).
(function () {
  const COLORS = { red: "#dc2626", blue: "#2563eb", green: "#16a34a" };
  function init() {
    const node = document.getElementById("board-data");
    if (!node || typeof echarts === "undefined") return;
    const data = JSON.parse(node.textContent);
    const trendEl = document.getElementById("trend-chart");
    if (trendEl) {
      const chart = echarts.init(trendEl);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map((s) => ({ name: s.name, type: "line", data: s.data, color: COLORS[s.card] })),
      });
      window.addEventListener("resize", () => chart.resize());
    }
    const domainEl = document.getElementById("domain-chart");
    if (domainEl) {
      const chart = echarts.init(domainEl);
      chart.setOption({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: data.domains },
        yAxis: { type: "value", minInterval: 1 },
        series: data.byDomain.map((s) => ({ name: s.name, type: "bar", stack: "cards", data: s.data, color: COLORS[s.card] })),
      });
      window.addEventListener("resize", () => chart.resize());
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
