// Draws the charts of a loadgen report with uPlot from the JSON embedded in
// the page (#report-data). Time charts share one x axis (seconds since the
// start), a synced cursor, the phases shaded and the faults marked; the
// spectrum has a log x axis of 1/(1-percentile); a sweep's charts have a
// varied setting on x, a point per run. Charts are redrawn when the
// colour scheme or the width changes. window.loadgenReport tells a test
// what was drawn.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var plots = [];
  var status = { charts: {}, theme: "", ready: false };
  window.loadgenReport = status;

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function theme() {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    return {
      name: dark ? "dark" : "light",
      fg: cssVar("--fg"), muted: cssVar("--muted"), grid: cssVar("--grid"),
      event: cssVar("--event"), stall: cssVar("--stall"),
      phases: { baseline: cssVar("--phase-baseline"), fault: cssVar("--phase-fault"), recovery: cssVar("--phase-recovery") }
    };
  }

  function fixed(v, digits) {
    return v == null ? "–" : Number(v).toFixed(digits);
  }

  function percentileOf(x) {
    return 100 * (1 - 1 / x);
  }

  function percentileLabel(x) {
    var p = percentileOf(x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return p.toFixed(digits) + "%";
  }

  // Phases shaded under the series, each named at the top left.
  function drawPhases(u, t) {
    var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
    var font = Math.round(11 * devicePixelRatio) + "px system-ui, sans-serif";
    ctx.save();
    data.phases.forEach(function (p) {
      var x0 = Math.max(u.bbox.left, u.valToPos(p.start_s, "x", true));
      var x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(p.end_s, "x", true));
      if (x1 <= x0) {
        return;
      }
      ctx.fillStyle = t.phases[p.name] || "transparent";
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.fillStyle = t.muted;
      ctx.font = font;
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      ctx.fillText(p.name, x0 + 4 * devicePixelRatio, top + 3 * devicePixelRatio);
    });
    ctx.restore();
  }

  // Faults as dashed lines (dotted where undone), stalls as ticks, labelled.
  function drawEvents(u, t) {
    var ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height, dpr = devicePixelRatio;
    ctx.save();
    ctx.font = Math.round(11 * dpr) + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    data.events.forEach(function (e, i) {
      var color = e.kind === "chaos" ? t.event : t.stall;
      var x = u.valToPos(e.t_s, "x", true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
        return;
      }
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash(e.kind === "chaos" ? [5 * dpr, 3 * dpr] : []);
      ctx.beginPath();
      if (e.kind === "chaos") {
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
      } else {
        ctx.moveTo(x, bottom);
        ctx.lineTo(x, bottom - 10 * dpr);
      }
      ctx.stroke();
      if (e.end_s != null) {
        var xe = u.valToPos(e.end_s, "x", true);
        ctx.setLineDash([1 * dpr, 3 * dpr]);
        ctx.beginPath();
        ctx.moveTo(xe, top);
        ctx.lineTo(xe, bottom);
        ctx.stroke();
      }
      var y = e.kind === "chaos" ? top + (16 + 13 * (i % 3)) * dpr : bottom - 24 * dpr;
      ctx.fillText(e.label, x + 3 * dpr, y);
    });
    ctx.restore();
  }

  // decades puts the grid of a log axis on the powers of ten only.
  function decades(u, axisIdx, min, max) {
    var out = [];
    for (var e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      var v = Math.pow(10, e);
      if (v >= min * 0.999 && v <= max * 1.001) {
        out.push(v);
      }
    }
    return out;
  }

  function options(spec, width, t) {
    var axis = {
      stroke: t.fg,
      grid: { stroke: t.grid, width: 1 },
      ticks: { stroke: t.grid, width: 1 },
      font: "12px system-ui, sans-serif",
      labelFont: "12px system-ui, sans-serif"
    };
    var spectrum = spec.kind === "spectrum", sweep = spec.kind === "sweep";
    var names = spec.x_names;
    var x = Object.assign({}, axis, sweep ? {
      label: spec.x_label,
      splits: names ? function () { return spec.x; } : undefined,
      values: function (u, splits) { return splits.map(function (v) { return names ? (names[v - 1] || "") : v; }); }
    } : spectrum ? {
      label: "percentile",
      splits: function () { return [1, 10, 100, 1e3, 1e4, 1e5]; },
      values: function (u, splits) { return splits.map(percentileLabel); }
    } : {
      label: "seconds since the start",
      values: function (u, splits) { return splits.map(function (v) { return v + " s"; }); }
    });
    var y = Object.assign({}, axis, { label: spec.y_label, size: 60 }, spec.y_log ? { splits: decades } : {});
    var series = [{
      label: sweep ? spec.x_label : spectrum ? "percentile" : "t",
      value: sweep
        ? function (u, v) { return v == null ? "–" : names ? names[v - 1] : v; }
        : spectrum
        ? function (u, v) { return v == null ? "–" : percentileOf(v).toFixed(4) + "%"; }
        : function (u, v) { return v == null ? "–" : v + " s"; }
    }];
    spec.series.forEach(function (s) {
      series.push({
        label: s.label,
        stroke: s.color,
        width: s.style === "dot" ? 2 : 1.5,
        dash: { dash: [6, 4], dot: [2, 3] }[s.style],
        spanGaps: false,
        points: { show: sweep, size: 7, fill: s.color },
        value: function (u, v) { return fixed(v, sweep ? ({ ms: 2, s: 1, ratio: 4 }[spec.y_label] || 0) : spec.y_label === "ms" ? 2 : 0); }
      });
    });
    var hooks = { draw: [function () { status.charts[spec.id].draws++; }] };
    if (spec.kind === "time") {
      hooks.drawClear = [function (u) { drawPhases(u, t); }];
      hooks.draw.push(function (u) { drawEvents(u, t); });
    }
    return {
      width: width,
      height: 320,
      padding: [12, spectrum ? 36 : 16, 0, 0],
      series: series,
      scales: {
        x: spectrum ? { time: false, distr: 3, log: 10, range: [1, 1e5] } : { time: false },
        y: spec.y_log ? { distr: 3, log: 10 } : { range: function (u, min, max) { return [0, sweep ? (max > 0 ? max * 1.1 : 1) : Math.max(1, max * 1.05)]; } }
      },
      axes: [x, y],
      cursor: spec.kind === "time" ? { sync: { key: "time" } } : {},
      legend: { live: true },
      hooks: hooks
    };
  }

  function build() {
    plots.forEach(function (p) { p.plot.destroy(); });
    plots = [];
    var t = theme();
    status.theme = t.name;
    data.charts.forEach(function (spec) {
      var el = document.getElementById("chart-" + spec.id);
      if (!el || spec.empty) {
        return;
      }
      status.charts[spec.id] = { series: spec.series.length, draws: 0 };
      var columns = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      var plot = new uPlot(options(spec, el.clientWidth, t), columns, el);
      plots.push({ plot: plot, el: el });
    });
    status.ready = true;
  }

  function resize() {
    plots.forEach(function (p) { p.plot.setSize({ width: p.el.clientWidth, height: 320 }); });
  }

  build();
  window.addEventListener("resize", resize);
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", build);
  }
})();
