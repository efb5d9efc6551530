// Dashboard charts: each [data-chart] element names a json_script holding
// {kind, categories, series:[{name, data, colour?, stack?}]}. No inline JS (CSP).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const charts = [];
  for (const el of document.querySelectorAll("[data-chart]")) {
    const spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    const horizontal = Boolean(spec.horizontal);
    const cat = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    const val = { type: "value" };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? { ...cat, inverse: true } : val,
      series: spec.series.map((s) => ({
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: s.data,
        stack: s.stack,
        itemStyle: s.colour ? { color: s.colour } : undefined,
        smooth: spec.kind === "line",
      })),
    });
    el.dataset.ready = "1";
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
