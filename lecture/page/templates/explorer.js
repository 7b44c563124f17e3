/* The run explorer of the lecture's page: the history exported by lecture/page/explorer.py, drawn in the
 * browser. Plain JavaScript, no framework, no request: the data are inlined in the page
 * (<script type="application/json" id="explorer-data">), so it works from file://.
 *
 * The boundary picture is the video's: the same forward pass as nncore (tanh hidden layer, sigmoid
 * output) on the pixel grid of scenes/common/field.py's BoundaryField, coloured through the video's
 * own colour table, with the 0.5 contour, the training points and rings round the misclassified
 * ones drawn on an overlay canvas. Numbers are formatted as scenes/common/format.py formats them.
 * window.__explorer exposes the state for the page's tests.
 */
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  var dataEl = document.getElementById("explorer-data");
  if (!root || !dataEl) return;
  var D;
  try {
    D = JSON.parse(dataEl.textContent);
  } catch {
    return;
  }
  if (!D || D.format !== 1) return;
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return; // the data are little-endian

  // --- the data --------------------------------------------------------------------------------
  function bytes(b64) {
    var s = atob(b64), n = s.length, a = new Uint8Array(n);
    for (var i = 0; i < n; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  function typed(b64, Type) {
    return new Type(bytes(b64).buffer);
  }
  var T = D.T, m = D.m, NH = D.n_h, P = 4 * NH + 1;
  var its = typed(D.iterations, Int32Array); // (K,) the iterations whose parameters we have
  var K = its.length;
  var params = typed(D.params, D.precision === "float32" ? Float32Array : Float64Array); // (K, P)
  var cost = typed(D.cost, Float64Array); // (T+1,)
  var correct = typed(D.correct, Uint16Array); // (T+1,)
  var X = typed(D.X, Float64Array); // (2, m) row-major
  var Y = bytes(D.Y); // (m,) 0 or 1
  var probLut = typed(D.probability_lut, Uint32Array); // RGBA words, by logit
  var valueLut = bytes(D.value_lut); // (N, 4) RGBA over [-1, 1]
  var VN = valueLut.length / 4;
  var C = D.colors;

  function W1(k, u, i) { return params[k * P + 2 * u + i]; }
  function B1(k, u) { return params[k * P + 2 * NH + u]; }
  function W2(k, u) { return params[k * P + 3 * NH + u]; }
  function B2(k) { return params[k * P + 4 * NH]; }

  // --- numbers as the video writes them (scenes/common/format.py) -----------------------------
  var MINUS = "\u2212";
  // Python's format(x, ".{d}f"): correctly rounded, exact ties to even (JS rounds them away from 0).
  function pyFixed(x, d) {
    var s = x.toFixed(d);
    var ax = Math.abs(x);
    if (ax < 1e21) {
      var exact = ax.toFixed(100), dot = exact.indexOf(".");
      if (/^50*$/.test(exact.slice(dot + 1 + d))) {
        var down = d > 0 ? exact.slice(0, dot + 1 + d) : exact.slice(0, dot);
        if ((down.charCodeAt(down.length - 1) - 48) % 2 === 0) s = (x < 0 ? "-" : "") + down;
      }
    }
    if (x === 0 && 1 / x < 0) s = "-" + s;
    return s;
  }
  function fmt(v, digits) { // format.fmt
    if (v === 0 || !isFinite(v)) return v === 0 ? pyFixed(v, Math.max(digits - 1, 0)) : String(v);
    var exponent = Math.floor(Math.log10(Math.abs(v)));
    if (exponent < -4) return v.toExponential(Math.max(digits - 1, 0));
    return pyFixed(v, Math.max(digits - 1 - exponent, 0));
  }
  function costText(v) { // format.cost_text
    var s = fmt(v, 4);
    return s.indexOf("e") < 0 ? s : pyFixed(v, 6);
  }
  function percentText(fraction) { return pyFixed(100 * fraction, 2) + "%"; } // format.percent_text
  function num(v) { return fmt(v, 3).replace("-", MINUS); }
  function sub(n) { // 12 -> subscript digits
    return String(n).replace(/[0-9]/g, function (d) { return String.fromCharCode(0x2080 + +d); });
  }
  function term(v, what) { return (v < 0 || (v === 0 && 1 / v < 0) ? " \u2212 " : " + ") + num(Math.abs(v)) + what; }

  // --- elements ----------------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  var slider = $("ex-slider"), playBtn = $("ex-play"), prevBtn = $("ex-prev"), nextBtn = $("ex-next");
  var followBtn = $("ex-follow"), statusEl = $("ex-status");
  var fieldCanvas = $("ex-field"), overlay = $("ex-overlay"), curveCanvas = $("ex-curve");
  var svg = $("ex-net"), info = $("ex-info"), infoText = $("ex-info-text"), unitMap = $("ex-unitmap");
  var video = document.getElementById("lecture");
  var SVGNS = "http://www.w3.org/2000/svg";

  // --- the boundary field --------------------------------------------------------------------------
  var N = D.field_px, E = D.extent; // [xmin, xmax, ymin, ymax]
  var dx = (E[1] - E[0]) / N, dy = (E[3] - E[2]) / N;
  var xs = new Float64Array(N), ys = new Float64Array(N);
  for (var c0 = 0; c0 < N; c0++) xs[c0] = E[0] + (c0 + 0.5) * dx; // pixel centres, as BoundaryField
  for (var r0 = 0; r0 < N; r0++) ys[r0] = E[3] - (r0 + 0.5) * dy; // row 0 at the top
  fieldCanvas.width = N;
  fieldCanvas.height = N;
  var fctx = fieldCanvas.getContext("2d");
  var image = fctx.createImageData(N, N);
  var pix = new Uint32Array(image.data.buffer);
  var z = new Float64Array(N * N);
  var ex = new Float64Array(N), ey = new Float64Array(N);
  // Many hidden units: while the slider moves, a first picture on a grid of 2x2-pixel blocks (a
  // quarter of the work), then the full one once it rests (REFINE_MS later).
  var HEAVY = NH * N * N > 6e6, REFINE_MS = 200, NC = N >> 1;
  var xsC = new Float64Array(NC), ysC = new Float64Array(NC), zC = new Float64Array(NC * NC);
  for (var c2 = 0; c2 < NC; c2++) xsC[c2] = E[0] + (2 * c2 + 1) * dx; // the centre of each block
  for (var r2 = 0; r2 < NC; r2++) ysC[r2] = E[3] - (2 * r2 + 1) * dy;
  var LUT_N = D.lut_size, LUT_K = (LUT_N - 1) / (2 * D.lut_z), LUT_OFF = (LUT_N - 1) / 2 + 0.5;

  // z = W2 tanh(W1 x + b1) + b2 on the grid. With tanh(s) = 1 - 2 / (1 + exp(2 s)) and
  // exp(2 (a + b)) = exp(2 a) exp(2 b), a unit costs a multiply-add and a division per pixel
  // instead of a tanh: exp is taken once per column and once per row.
  function logits(k, out, xsG, ysG) { // xsG, ysG: the grid (at most N long, the scratch rows' size)
    var w = xsG.length, h = ysG.length, u, r, c, i;
    var total = B2(k);
    for (u = 0; u < NH; u++) total += W2(k, u);
    out.fill(total);
    for (u = 0; u < NH; u++) {
      var w0 = W1(k, u, 0), w1 = W1(k, u, 1), b = B1(k, u), w2 = W2(k, u);
      if (w2 === 0) continue;
      var maxA = 0, maxB = 0, a;
      for (c = 0; c < w; c++) { a = 2 * w0 * xsG[c]; ex[c] = a; if (Math.abs(a) > maxA) maxA = Math.abs(a); }
      for (r = 0; r < h; r++) { a = 2 * (w1 * ysG[r] + b); ey[r] = a; if (Math.abs(a) > maxB) maxB = Math.abs(a); }
      if (maxA + maxB < 700) { // the products stay finite
        for (c = 0; c < w; c++) ex[c] = Math.exp(ex[c]);
        for (r = 0; r < h; r++) ey[r] = Math.exp(ey[r]);
        var c2 = 2 * w2;
        for (r = 0, i = 0; r < h; r++) {
          var e = ey[r];
          for (c = 0; c < w; c++, i++) out[i] -= c2 / (1 + ex[c] * e);
        }
      } else { // huge weights: tanh itself
        for (r = 0, i = 0; r < h; r++) {
          var half = 0.5 * ey[r];
          for (c = 0; c < w; c++, i++) out[i] -= w2 * (1 - Math.tanh(0.5 * ex[c] + half));
        }
      }
    }
    return out;
  }

  function colour(v) {
    var t = v * LUT_K + LUT_OFF, top = LUT_N - 1;
    return probLut[t > 0 ? (t < top ? t | 0 : top) : 0];
  }
  function paintField(k, coarse) {
    var i, n;
    if (!coarse) {
      logits(k, z, xs, ys);
      for (i = 0, n = z.length; i < n; i++) pix[i] = colour(z[i]);
    } else {
      logits(k, zC, xsC, ysC);
      for (var r = 0; r < NC; r++) {
        for (var c = 0; c < NC; c++) {
          var word = colour(zC[r * NC + c]), j = 2 * r * N + 2 * c;
          pix[j] = pix[j + 1] = pix[j + N] = pix[j + N + 1] = word;
        }
      }
    }
    fctx.putImageData(image, 0, 0);
  }

  // The z = 0 line by marching squares between pixel centres, as segments in pixel coordinates.
  var segs = new Float32Array(4096), nSeg = 0;
  function pushSeg(x1, y1, x2, y2) {
    if (4 * nSeg + 4 > segs.length) { var grown = new Float32Array(2 * segs.length); grown.set(segs); segs = grown; }
    var j = 4 * nSeg++;
    segs[j] = x1; segs[j + 1] = y1; segs[j + 2] = x2; segs[j + 3] = y2;
  }
  function contour(z, N, scale) { // z: N x N values at pixel centres scaled by ``scale``
    nSeg = 0;
    var pts = [0, 0, 0, 0, 0, 0, 0, 0];
    for (var r = 0; r < N - 1; r++) {
      var row = r * N;
      for (var c = 0; c < N - 1; c++) {
        var a = z[row + c], b = z[row + c + 1], d = z[row + N + c], e = z[row + N + c + 1];
        var sa = a > 0, sb = b > 0, sd = d > 0, se = e > 0;
        if (sa === sb && sa === sd && sa === se) continue;
        var n = 0, x0 = c + 0.5, y0 = r + 0.5;
        // crossings on the cell's four sides: top (a-b), right (b-e), bottom (d-e), left (a-d)
        if (sa !== sb) { pts[n++] = x0 + a / (a - b); pts[n++] = y0; }
        if (sb !== se) { pts[n++] = x0 + 1; pts[n++] = y0 + b / (b - e); }
        if (sd !== se) { pts[n++] = x0 + d / (d - e); pts[n++] = y0 + 1; }
        if (sa !== sd) { pts[n++] = x0; pts[n++] = y0 + a / (a - d); }
        pushSeg(pts[0] * scale, pts[1] * scale, pts[2] * scale, pts[3] * scale);
        if (n === 8) pushSeg(pts[4] * scale, pts[5] * scale, pts[6] * scale, pts[7] * scale); // a saddle
      }
    }
  }

  // The training points in pixel coordinates, and which ones an iteration misclassifies.
  var px = new Float64Array(m), py = new Float64Array(m);
  for (var q = 0; q < m; q++) {
    px[q] = (X[q] - E[0]) / dx;
    py[q] = (E[3] - X[m + q]) / dy;
  }
  function misclassified(k) {
    var wrong = [];
    for (var j = 0; j < m; j++) {
      var x1 = X[j], x2 = X[m + j], s = 0;
      for (var u = 0; u < NH; u++) s += W2(k, u) * Math.tanh(W1(k, u, 0) * x1 + W1(k, u, 1) * x2 + B1(k, u));
      var a2 = 1 / (1 + Math.exp(-(s + B2(k)))); // A2 > 0.5 is nncore's predicted class
      if ((a2 > 0.5 ? 1 : 0) !== Y[j]) wrong.push(j);
    }
    return wrong;
  }

  var octx = overlay.getContext("2d");
  var dpr = 1;
  function sizeOverlay() {
    dpr = Math.min(window.devicePixelRatio || 1, 3);
    overlay.width = Math.round(N * dpr);
    overlay.height = Math.round(N * dpr);
  }
  var S = D.sizes;
  var R = S.point_radius * N, RING = S.ring_radius * R, RING_W = Math.max(S.ring_width * R, 1);
  var OUTLINE = Math.min(Math.max(0.3 * R, 0.4), 0.45 * R);
  function paintOverlay(wrong) {
    octx.setTransform(1, 0, 0, 1, 0, 0);
    octx.clearRect(0, 0, overlay.width, overlay.height);
    octx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // the 0.5 contour, then rings, then points: the video's order
    octx.globalAlpha = S.line_alpha;
    octx.strokeStyle = C.line;
    octx.lineWidth = Math.max(S.line_width * N, 1);
    octx.lineCap = "round";
    octx.beginPath();
    for (var j = 0; j < nSeg; j++) {
      octx.moveTo(segs[4 * j], segs[4 * j + 1]);
      octx.lineTo(segs[4 * j + 2], segs[4 * j + 3]);
    }
    octx.stroke();
    octx.globalAlpha = 1;
    octx.strokeStyle = C.ring;
    octx.lineWidth = RING_W;
    octx.beginPath();
    wrong.forEach(function (p) { octx.moveTo(px[p] + RING, py[p]); octx.arc(px[p], py[p], RING, 0, 2 * Math.PI); });
    octx.stroke();
    discs(R, C.outline, -1);
    discs(R - OUTLINE, C.class0, 0);
    discs(R - OUTLINE, C.class1, 1);
  }
  function discs(radius, color, label) {
    octx.fillStyle = color;
    octx.beginPath();
    for (var p = 0; p < m; p++) {
      if (label >= 0 && Y[p] !== label) continue;
      octx.moveTo(px[p] + radius, py[p]);
      octx.arc(px[p], py[p], radius, 0, 2 * Math.PI);
    }
    octx.fill();
  }

  // --- the cost curve (log iteration axis, as the video's CostCurves) ----------------------------
  var cctx = curveCanvas.getContext("2d");
  var CW = 0, CH = 0, plot = null, curveBg = null;
  var curveX = new Float64Array(T + 1), curveY = new Float64Array(T + 1); // every iteration, in CSS pixels
  function sup(n) { // 4 -> superscript digits
    var map = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
    return String(n).replace(/[0-9]/g, function (d) { return map[+d]; });
  }
  var xMax = T > 0 ? Math.log10(1 + T) : 1, yTop = D.cost_axis.top;
  function cx(i) { return plot.x + plot.w * Math.log10(1 + i) / xMax; }
  function cy(v) { return plot.y + plot.h * (1 - Math.min(Math.max(v, 0), yTop) / yTop); }
  function decadeTicks() {
    var t = [0];
    for (var k = 1; k < 8 && Math.pow(10, k) <= T; k++) t.push(Math.pow(10, k));
    if (T > t[t.length - 1]) t.push(T);
    return t;
  }
  function sizeCurve() {
    var r = curveCanvas.getBoundingClientRect();
    CW = Math.max(Math.round(r.width), 200);
    CH = Math.max(Math.round(r.height), 120);
    curveCanvas.width = Math.round(CW * dpr);
    curveCanvas.height = Math.round(CH * dpr);
    plot = { x: 46, y: 22, w: CW - 62, h: CH - 54 };
    for (var i = 0; i <= T; i++) { curveX[i] = cx(i); curveY[i] = cy(cost[i]); }
    curveBg = document.createElement("canvas");
    curveBg.width = curveCanvas.width;
    curveBg.height = curveCanvas.height;
    var g = curveBg.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.font = "12px system-ui, sans-serif";
    g.fillStyle = C.muted;
    g.strokeStyle = C.muted;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(plot.x, plot.y);
    g.lineTo(plot.x, plot.y + plot.h);
    g.lineTo(plot.x + plot.w, plot.y + plot.h);
    g.stroke();
    g.textAlign = "right";
    g.textBaseline = "middle";
    var step = D.cost_axis.step;
    for (var v = 0; v <= yTop * (1 + 1e-9); v += step) {
      g.fillText(String(+v.toFixed(6)), plot.x - 6, cy(v));
      g.globalAlpha = 0.25;
      g.beginPath(); g.moveTo(plot.x, cy(v)); g.lineTo(plot.x + plot.w, cy(v)); g.stroke();
      g.globalAlpha = 1;
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    var ticks = decadeTicks(), lastRight = -Infinity;
    ticks.forEach(function (t) {
      var power = t >= 1000 && Math.pow(10, Math.round(Math.log10(t))) === t;
      var label = power ? "10" + sup(Math.round(Math.log10(t))) : String(t);
      var x = cx(t), wdt = g.measureText(label).width;
      if (x - wdt / 2 < lastRight + 6) return; // the end of the run, only if its label has room
      g.fillText(label, x, plot.y + plot.h + 5);
      lastRight = x + wdt / 2;
    });
    g.textAlign = "right";
    g.fillText("iteration (log scale)", plot.x + plot.w, plot.y + plot.h + 22);
    g.textAlign = "left";
    g.textBaseline = "top";
    g.fillText("cost", 8, 2);
    g.globalAlpha = 0.45;
    g.strokeStyle = C.muted;
    g.lineWidth = 1.5;
    tracePath(g, T);
    g.stroke();
    g.globalAlpha = 1;
  }
  // Every iteration's cost, merged where several fall on one column (min and max kept).
  function tracePath(g, upTo) {
    g.beginPath();
    g.moveTo(curveX[0], curveY[0]);
    var col = -1, lo = 0, hi = 0;
    for (var i = 1; i <= upTo; i++) {
      var x = curveX[i], c = Math.round(x * dpr), y = curveY[i];
      if (c !== col || i === upTo) {
        if (col >= 0) { g.lineTo(x, lo); g.lineTo(x, hi); }
        col = c; lo = y; hi = y;
        g.lineTo(x, y);
      } else {
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
    }
  }
  function paintCurve(it) {
    cctx.setTransform(1, 0, 0, 1, 0, 0);
    cctx.clearRect(0, 0, curveCanvas.width, curveCanvas.height);
    cctx.drawImage(curveBg, 0, 0);
    cctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    cctx.strokeStyle = C.highlight;
    cctx.lineWidth = 2;
    tracePath(cctx, it);
    cctx.stroke();
    cctx.fillStyle = C.highlight;
    cctx.strokeStyle = "#111418";
    cctx.beginPath();
    cctx.arc(curveX[it], curveY[it], 5, 0, 2 * Math.PI);
    cctx.fill();
    cctx.stroke();
  }

  // --- the network diagram (the layout of scenes/common/network.py's NetworkDiagram) -------------
  var G = D.diagram, shown = G.shown_units, compressed = shown.length < NH;
  function valueColor(v, scale) { // scenes/common/colors.value_rgb, from its table
    var t = scale > 0 ? v / scale : 0;
    var j = Math.round((Math.min(Math.max(t, -1), 1) + 1) / 2 * (VN - 1)) * 4;
    return "rgb(" + valueLut[j] + "," + valueLut[j + 1] + "," + valueLut[j + 2] + ")";
  }
  function valueWidth(v, scale) { // palette.value_width, in scene units
    var t = scale > 0 ? Math.min(Math.abs(v) / scale, 1) : 0;
    return (G.min_width + (G.max_width - G.min_width) * t) * G.stroke_unit;
  }
  var edges1 = [], edges2 = [], nodes = [];
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function buildDiagram() {
    // The video's layout (scenes/common/layout.py), exported with the data.
    var L = G.layout, nr = L.node_radius, hy = L.hidden_ys, iy = L.input_ys, dotsY = L.ellipsis_y;
    var xIn = -G.width / 2, xOut = G.width / 2, pad = 0.42;
    var top = Math.max(hy[0] || 0, iy[0]) + nr + 0.12;
    var bottom = Math.min(hy[hy.length - 1] || 0, iy[iy.length - 1]) - nr - 0.3;
    svg.setAttribute("viewBox", [xIn - pad, -top, G.width + 2 * pad, top - bottom].join(" "));
    var gEdges = el("g", {}, svg), gNodes = el("g", {}, svg);
    function line(x1, y1, x2, y2, item) {
      var len = Math.hypot(x2 - x1, y2 - y1), ux = (x2 - x1) / len, uy = (y2 - y1) / len;
      var pts = { x1: x1 + ux * nr, y1: -(y1 + uy * nr), x2: x2 - ux * nr, y2: -(y2 - uy * nr) };
      var g = el("g", { class: "ex-edge", tabindex: "0", role: "img" }, gEdges);
      var vis = el("line", pts, g);
      var hit = el("line", pts, g);
      hit.setAttribute("class", "ex-hit");
      hit.setAttribute("stroke-width", "0.12");
      item.el = g;
      item.line = vis;
      hook(g, item);
      return item;
    }
    function node(x, y, label, item, sub) {
      var g = el("g", { class: "ex-node", tabindex: "0", role: "img" }, gNodes);
      el("circle", { cx: x, cy: -y, r: nr }, g);
      var t = el("text", { x: x, y: -y, "font-size": (0.19 * Math.min(nr / 0.2, 1)).toFixed(3) }, g);
      t.textContent = label;
      if (sub) { var s = el("tspan", { "baseline-shift": "sub", "font-size": "70%" }, t); s.textContent = sub; }
      item.el = g;
      hook(g, item);
      nodes.push(item);
      return item;
    }
    for (var j = 0; j < D.n_x; j++) node(xIn, iy[j], "x", { kind: "input", k: j }, String(j + 1));
    shown.forEach(function (u, r) {
      for (var k2 = 0; k2 < D.n_x; k2++) edges1.push(line(xIn, iy[k2], 0, hy[r], { kind: "w1", u: u, k: k2 }));
      edges2.push(line(0, hy[r], xOut, 0, { kind: "w2", u: u }));
    });
    shown.forEach(function (u, r) { node(0, hy[r], String(u + 1), { kind: "hidden", u: u }); });
    node(xOut, 0, "\u0177", { kind: "output" });
    if (compressed) {
      var dots = el("text", { x: 0, y: -dotsY, class: "ex-dots", "font-size": "0.3" }, gNodes);
      dots.textContent = "\u22ee";
    }
    var labels = [["input", xIn], ["hidden: " + NH + " tanh", 0], ["output: \u03c3", xOut]];
    labels.forEach(function (l) {
      var t = el("text", { x: l[1], y: -bottom - 0.12, class: "ex-layer", "font-size": "0.15" }, gNodes);
      t.textContent = l[0];
    });
  }
  function paintDiagram(k) {
    edges1.forEach(function (e) {
      var v = W1(k, e.u, e.k);
      e.line.setAttribute("stroke", valueColor(v, D.scale_1));
      e.line.setAttribute("stroke-width", valueWidth(v, D.scale_1).toFixed(4));
      e.el.setAttribute("aria-label", describe(e, k));
    });
    edges2.forEach(function (e) {
      var v = W2(k, e.u);
      e.line.setAttribute("stroke", valueColor(v, D.scale_2));
      e.line.setAttribute("stroke-width", valueWidth(v, D.scale_2).toFixed(4));
      e.el.setAttribute("aria-label", describe(e, k));
    });
    nodes.forEach(function (n) { n.el.setAttribute("aria-label", describe(n, k)); });
  }

  // --- what a hovered or focused part says ------------------------------------------------------
  function describe(item, k) {
    var u = item.u;
    switch (item.kind) {
      case "w1":
        return "weight from input x" + sub(item.k + 1) + " to hidden unit " + (u + 1) + ": W1[" + (u + 1) + "," +
          (item.k + 1) + "] = " + num(W1(k, u, item.k));
      case "w2":
        return "weight from hidden unit " + (u + 1) + " to the output: W2[" + (u + 1) + "] = " + num(W2(k, u));
      case "hidden":
        return "hidden unit " + (u + 1) + ": a" + sub(u + 1) + " = tanh(" + num(W1(k, u, 0)) + " x\u2081" +
          term(W1(k, u, 1), " x\u2082") + term(B1(k, u), "") + "), weighted by W2[" + (u + 1) + "] = " + num(W2(k, u));
      case "output":
        return "output: y\u0302 = \u03c3(W2 a + b2) with b2 = " + num(B2(k)) + "; blue (class 1) where y\u0302 > 0.5";
      default:
        return "input x" + sub(item.k + 1) + ": the " + (item.k === 0 ? "horizontal" : "vertical") +
          " coordinate of a point";
    }
  }
  var selected = null;
  function hook(g, item) {
    function on() { select(item); }
    g.addEventListener("mouseenter", on);
    g.addEventListener("focus", on);
    g.addEventListener("mouseleave", function () { if (document.activeElement !== g) select(null); });
    g.addEventListener("blur", function () { select(null); });
  }
  function select(item) {
    if (selected && selected.el) selected.el.classList.remove("ex-selected");
    selected = item;
    if (item && item.el) item.el.classList.add("ex-selected");
    paintInfo();
  }
  var HINT = infoText.textContent;
  var uctx = unitMap.getContext("2d");
  var UM = D.unit_map_px;
  unitMap.width = UM;
  unitMap.height = UM;
  var umImage = uctx.createImageData(UM, UM), umPix = new Uint32Array(umImage.data.buffer);
  var umX = new Float64Array(UM), umY = new Float64Array(UM);
  for (var c1 = 0; c1 < UM; c1++) umX[c1] = E[0] + (c1 + 0.5) * (E[1] - E[0]) / UM;
  for (var r1 = 0; r1 < UM; r1++) umY[r1] = E[3] - (r1 + 0.5) * (E[3] - E[2]) / UM;
  var valueWords = new Uint32Array(valueLut.buffer);
  function paintUnitMap(k, u) {
    var w0 = W1(k, u, 0), w1 = W1(k, u, 1), b = B1(k, u);
    for (var r = 0, i = 0; r < UM; r++) {
      var rowPart = w1 * umY[r] + b;
      for (var c = 0; c < UM; c++, i++) {
        var a = Math.tanh(w0 * umX[c] + rowPart); // scale 1, as the video's FieldPanel of a unit
        umPix[i] = valueWords[Math.round((a + 1) / 2 * (VN - 1))];
      }
    }
    uctx.putImageData(umImage, 0, 0);
  }
  function paintInfo() {
    var k = state.index;
    if (!selected) {
      infoText.textContent = HINT;
      info.classList.remove("ex-has-map");
      return;
    }
    infoText.textContent = "Iteration " + its[k] + ": " + describe(selected, k) + ".";
    if (selected.kind === "hidden") {
      paintUnitMap(k, selected.u);
      unitMap.setAttribute("aria-label", "the field of hidden unit " + (selected.u + 1) + ": blue +1, red \u22121");
      info.classList.add("ex-has-map");
    } else {
      info.classList.remove("ex-has-map");
    }
  }

  // The colour bar of the legend: the field's own colour table from probability 0 to 1.
  function paintLegend() {
    var bar = $("ex-legend-bar"), W = bar.width, H = bar.height;
    var g = bar.getContext("2d"), im = g.createImageData(W, H), words = new Uint32Array(im.data.buffer);
    for (var x = 0; x < W; x++) {
      var p = (x + 0.5) / W, t = Math.log(p / (1 - p)) * LUT_K + LUT_OFF;
      var word = probLut[t > 0 ? (t < LUT_N - 1 ? t | 0 : LUT_N - 1) : 0];
      for (var y = 0; y < H; y++) words[y * W + x] = word;
    }
    g.putImageData(im, 0, 0);
  }

  // --- state, drawing, controls --------------------------------------------------------------
  var state = {
    index: 0, iteration: 0, linked: !!D.follow, playing: false, wrong: [], timings: [], drawn: -1, coarse: false,
  };
  var pending = false, refineTimer = 0, lastDraw = -Infinity;
  function draw(full) {
    pending = false;
    var k = state.index;
    if (state.drawn === k && !(state.coarse && full === true)) return;
    var t0 = performance.now();
    // coarse only while moving: the previous picture was drawn a moment ago
    var coarse = HEAVY && full !== true && t0 - lastDraw < REFINE_MS;
    clearTimeout(refineTimer);
    if (coarse) refineTimer = setTimeout(function () { draw(true); }, REFINE_MS);
    lastDraw = t0;
    paintField(k, coarse);
    var t1 = performance.now();
    if (coarse) contour(zC, NC, 2);
    else contour(z, N, 1);
    state.wrong = misclassified(k);
    paintOverlay(state.wrong);
    var t2 = performance.now();
    paintCurve(its[k]);
    paintDiagram(k);
    if (selected) paintInfo();
    var t3 = performance.now();
    state.drawn = k;
    state.coarse = coarse;
    state.timings.push(t3 - t0);
    state.parts = { field: t1 - t0, overlay: t2 - t1, rest: t3 - t2 };
    if (state.timings.length > 200) state.timings.shift();
  }
  function show(k) {
    k = Math.max(0, Math.min(K - 1, k | 0));
    state.index = k;
    state.iteration = its[k];
    var it = its[k];
    slider.value = String(k);
    slider.setAttribute("aria-valuetext", "iteration " + it + " of " + T);
    $("ex-iter").textContent = String(it);
    $("ex-cost").textContent = costText(cost[it]).replace("-", MINUS);
    $("ex-acc").textContent = percentText(correct[it] / m);
    $("ex-wrong").textContent = (m - correct[it]) + " of " + m;
    prevBtn.disabled = k === 0;
    nextBtn.disabled = k === K - 1;
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }
  function indexOf(iteration) { // the last snapshot at or before ``iteration``
    var lo = 0, hi = K - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (its[mid] <= iteration) lo = mid; else hi = mid - 1; }
    return lo;
  }

  // Playing: through every snapshot in PLAY_SECONDS, as the video's clock runs through its schedule.
  var PLAY_SECONDS = 24, playStart = 0, playFrom = 0;
  function setPlaying(on) {
    state.playing = on;
    playBtn.textContent = on ? "\u275a\u275a Pause" : "\u25b6 Play";
    playBtn.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      if (state.index >= K - 1) show(0);
      playStart = performance.now();
      playFrom = state.index;
      requestAnimationFrame(playTick);
    }
  }
  function playTick(now) {
    if (!state.playing) return;
    var k = playFrom + Math.floor(Math.max(now - playStart, 0) / 1000 / PLAY_SECONDS * (K - 1));
    if (k >= K - 1) { show(K - 1); setPlaying(false); return; }
    if (k !== state.index) show(k);
    requestAnimationFrame(playTick);
  }
  function userMoved() { // the learner takes over: the link to the video pauses
    setLinked(false);
  }

  // --- following the video -------------------------------------------------------------------
  var F = D.follow;
  function videoIteration(t) {
    if (!F || !(t >= F.start && t < F.end)) return null;
    var lo = 0, hi = F.times.length - 1;
    if (t < F.times[0]) return F.iterations[0]; // before the clock starts the picture shows its first iteration
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (F.times[mid] <= t) lo = mid; else hi = mid - 1; }
    return F.iterations[lo];
  }
  function setLinked(on) {
    state.linked = on && !!F;
    followBtn.setAttribute("aria-pressed", state.linked ? "true" : "false");
    if (state.linked) setPlaying(false);
    syncToVideo();
    updateStatus();
  }
  function syncToVideo() {
    if (!state.linked || !video) return;
    var it = videoIteration(video.currentTime);
    if (it !== null && its[state.index] !== it) show(indexOf(it));
    updateStatus();
  }
  var lastStatus = "";
  function updateStatus() {
    var text;
    if (!F) text = "";
    else if (!state.linked) text = "Exploring on your own: the link to the video is paused.";
    else if (video && videoIteration(video.currentTime) !== null) text = "Following the video: the iteration it shows now.";
    else text = "Linked to the video: follows it during \u201c" + F.title + "\u201d.";
    if (text !== lastStatus) { statusEl.textContent = text; lastStatus = text; }
  }
  function videoLoop() {
    syncToVideo();
    if (video && !video.paused && !video.ended) requestAnimationFrame(videoLoop);
  }
  if (video && F) {
    video.addEventListener("play", function () { requestAnimationFrame(videoLoop); });
    video.addEventListener("seeked", syncToVideo);
    video.addEventListener("pause", syncToVideo);
    video.addEventListener("timeupdate", syncToVideo);
  }

  // --- wiring --------------------------------------------------------------------------------
  slider.min = "0";
  slider.max = String(K - 1);
  slider.step = "1";
  slider.addEventListener("input", function () { userMoved(); setPlaying(false); show(+slider.value); });
  prevBtn.addEventListener("click", function () { userMoved(); setPlaying(false); show(state.index - 1); });
  nextBtn.addEventListener("click", function () { userMoved(); setPlaying(false); show(state.index + 1); });
  playBtn.addEventListener("click", function () { userMoved(); setPlaying(!state.playing); });
  if (F) {
    followBtn.hidden = false;
    followBtn.addEventListener("click", function () { setLinked(!state.linked); });
  }
  root.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = e.target.tagName;
    if (e.key === "k" || (e.key === " " && tag !== "BUTTON" && tag !== "INPUT")) {
      e.preventDefault(); userMoved(); setPlaying(!state.playing);
    } else if (e.key === "," || e.key === ".") {
      e.preventDefault(); userMoved(); setPlaying(false); show(state.index + (e.key === "." ? 1 : -1));
    }
  });

  // The overlay and the curve are drawn at the screen's pixel density (sharp points and lines);
  // the field keeps one pixel per grid point and is scaled by CSS with its box.
  function resize() {
    sizeOverlay();
    sizeCurve();
    state.drawn = -1;
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }
  root.hidden = false;
  buildDiagram();
  paintLegend();
  window.addEventListener("resize", resize);
  sizeOverlay();
  sizeCurve();
  show(0);
  setLinked(state.linked);
  draw();

  window.__explorer = {
    state: state,
    iterations: its,
    data: D,
    show: show,
    flush: function () { if (pending || state.drawn !== state.index || state.coarse) draw(true); },
    videoIteration: videoIteration,
    ready: true,
  };
})();
