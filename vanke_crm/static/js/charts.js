// Charts: every element with data-chart-url is drawn with ECharts from the JSON the
// server answers ({"charts": {key: {title, categories, series, unit}}}), and the
// figures are also written into the chart's table (the text alternative). No inline
// script and no HTML tooltips (their inline styles would break the CSP).
(() => {
  const cache = new Map();
  const load = (url) => {
    if (!cache.has(url)) {
      cache.set(
        url,
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
          (r) => {
            if (!r.ok) throw new Error(String(r.status));
            return r.json();
          },
        ),
      );
    }
    return cache.get(url);
  };

  const cell = (tag, text) => {
    const el = document.createElement(tag);
    el.textContent = text;
    return el;
  };

  const fillTable = (details, spec) => {
    if (!details) return;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    head.appendChild(cell("th", ""));
    spec.series.forEach((s) => head.appendChild(cell("th", s.name)));
    const body = table.createTBody();
    spec.categories.forEach((category, i) => {
      const row = body.insertRow();
      const th = cell("th", category);
      th.scope = "row";
      row.appendChild(th);
      spec.series.forEach((s) => row.appendChild(cell("td", String(s.data[i]))));
    });
    table.querySelectorAll("thead th").forEach((th) => (th.scope = "col"));
    const status = details.querySelector("[data-chart-status]");
    if (status) status.remove();
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.tabIndex = 0;
    wrap.appendChild(table);
    details.appendChild(wrap);
  };

  const option = (spec) => ({
    animation: false,
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 64, right: 24, top: 16, bottom: 64, containLabel: true },
    xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1, name: spec.unit || "" },
    series: spec.series.map((s) => ({
      name: s.name,
      type: s.type || "bar",
      stack: s.stack,
      barMaxWidth: 48,
      data: s.data,
    })),
  });

  const draw = (el) => {
    const key = el.dataset.chartKey;
    const details = el.closest("figure")?.querySelector(`[data-chart-table="${key}"]`);
    load(el.dataset.chartUrl)
      .then((payload) => {
        const spec = payload.charts[key];
        if (!spec || typeof echarts === "undefined") return;
        const chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(option(spec));
        window.addEventListener("resize", () => chart.resize());
        fillTable(details, spec);
        el.dataset.chartReady = "true";
      })
      .catch(() => {
        el.dataset.chartReady = "error";
        const status = details?.querySelector("[data-chart-status]");
        if (status) status.textContent = el.dataset.chartError || "";
      });
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart-url]").forEach(draw);
  });
})();
