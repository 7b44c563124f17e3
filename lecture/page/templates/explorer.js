/* The run explorer of the lecture's page: the history exported by lecture/page/explorer.py, drawn in the
 * browser. Plain JavaScript, no framework, no request: the data are inlined in the page
 * (<script type="application/json" id="explorer-data">), so it works from file://.
 *
 * The boundary picture is the video's: the same forward pass as nncore (nncore/network.py: any number
 * of hidden layers with the run's activation, a sigmoid output; the input features computed from
 * each pixel's coordinates as nncore/data.py computes them) on the pixel grid of
 * scenes/common/field.py's BoundaryField, coloured through the video's own colour table, with the
 * 0.5 contour, the training points (discs), the test points (hollow rings) and rings round the
 * misclassified ones drawn on an overlay canvas. Numbers are formatted as scenes/common/format.py
 * formats them.
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
  if (!D || D.format !== 2) return;
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
  var T = D.T, m = D.m, NH = D.n_h, NX = D.n_x;
  var SIZES = D.layers, L = SIZES.length - 1; // units of every layer, inputs first; L layers with parameters
  var ACT = D.activation, UNIT = D.unit; // "iteration", or "epoch" for mini-batches
  // Every layer's W (row-major) then b, layer by layer, one row of P numbers per snapshot.
  var offW = [0], offB = [0], P = 0;
  for (var l0 = 1; l0 <= L; l0++) {
    offW[l0] = P; P += SIZES[l0] * SIZES[l0 - 1];
    offB[l0] = P; P += SIZES[l0];
  }
  var its = typed(D.iterations, Int32Array); // (K,) the iterations whose parameters we have
  var K = its.length;
  var params = typed(D.params, D.precision === "float32" ? Float32Array : Float64Array); // (K, P)
  var cost = typed(D.cost, Float64Array); // (T+1,)
  var correct = typed(D.correct, Uint16Array); // (T+1,)
  var X = typed(D.X, Float64Array); // (n_x, m) row-major: the network's inputs
  var PT = D.P ? typed(D.P, Float64Array) : X; // (2, m): the points in the plane
  var Y = bytes(D.Y); // (m,) 0 or 1
  var TS = D.test; // the held-out test set, or null
  var mT = TS ? TS.m : 0;
  var XT = TS ? typed(TS.X, Float64Array) : null; // (n_x, m_test)
  var PTT = TS ? (TS.P ? typed(TS.P, Float64Array) : XT) : null; // (2, m_test)
  var YT = TS ? bytes(TS.Y) : null;
  var costT = TS ? typed(TS.cost, Float64Array) : null;
  var correctT = TS ? typed(TS.correct, Uint16Array) : null;
  var probLut = typed(D.probability_lut, Uint32Array); // RGBA words, by logit
  var valueLut = bytes(D.value_lut); // (N, 4) RGBA over [-1, 1]
  var VN = valueLut.length / 4;
  var C = D.colors;

  function Wl(k, l, j, i) { return params[k * P + offW[l] + j * SIZES[l - 1] + i]; } // W[l][j, i]
  function Bl(k, l, j) { return params[k * P + offB[l] + j]; }
  // week 3's network (one hidden tanh layer on x1, x2) has a faster, separable picture
  var SEPARABLE = L === 2 && ACT === "tanh" && D.features.join() === "x1,x2";
  function W1(k, u, i) { return Wl(k, 1, u, i); }
  function B1(k, u) { return Bl(k, 1, u); }
  function W2(k, u) { return Wl(k, 2, 0, u); }
  function B2(k) { return Bl(k, 2, 0); }

  // --- the forward pass of nncore/network.py -----------------------------------------------------
  // The features of points (x1, x2), as nncore/data.py's features(): one row per feature.
  var FEATURE = {
    "x1": function (a) { return a; },
    "x2": function (a, b) { return b; },
    "x1^2": function (a) { return a * a; },
    "x2^2": function (a, b) { return b * b; },
    "x1*x2": function (a, b) { return a * b; },
    "sin(x1)": function (a) { return Math.sin(a); },
    "sin(x2)": function (a, b) { return Math.sin(b); },
  };
  function features(x1s, x2s, n) { // the points' inputs, (n_x, n) row-major
    var F = new Float64Array(NX * n);
    D.features.forEach(function (name, f) {
      var fn = FEATURE[name];
      for (var p = 0; p < n; p++) F[f * n + p] = fn(x1s[p], x2s[p]);
    });
    return F;
  }
  function activate(v, row, n, b) { // g(v + b) on v[row..row+n), in place: the bias, then the activation
    var i, end = row + n, z;
    if (ACT === "relu") { for (i = row; i < end; i++) { z = v[i] + b; v[i] = z > 0 ? z : 0; } }
    else if (ACT === "leaky_relu") { for (i = row; i < end; i++) { z = v[i] + b; v[i] = z > 0 ? z : 0.01 * z; } }
    else if (ACT === "sigmoid") { for (i = row; i < end; i++) v[i] = 1 / (1 + Math.exp(-(v[i] + b))); }
    else { for (i = row; i < end; i++) v[i] = Math.tanh(v[i] + b); }
  }
  var BLOCK = 512, WIDEST = Math.max.apply(null, SIZES);
  var bufA = new Float64Array(WIDEST * BLOCK), bufB = new Float64Array(WIDEST * BLOCK);
  // Layers 1..upto of snapshot k for points p0..p0+cnt of F (rows of length stride): layer upto's
  // activations (its logits Z when upto = L), (n_upto, cnt) row-major in a scratch buffer.
  // Z = W A + b as nncore writes it: each unit's weighted sum first, then its bias.
  function layers(k, F, stride, p0, cnt, upto) {
    var prev = null, cur = bufA, c, i, j;
    for (var l = 1; l <= upto; l++) {
      var nIn = SIZES[l - 1], nOut = SIZES[l], wBase = k * P + offW[l], bBase = k * P + offB[l];
      var src = prev === null ? F : prev, step = prev === null ? stride : cnt, first = prev === null ? p0 : 0;
      for (j = 0; j < nOut; j++) {
        var row = j * cnt, wj = wBase + j * nIn, w = params[wj], s = first;
        for (c = 0; c < cnt; c++) cur[row + c] = w * src[s + c]; // 0 + w x is w x
        for (i = 1; i < nIn; i++) {
          w = params[wj + i];
          s = first + i * step;
          for (c = 0; c < cnt; c++) cur[row + c] += w * src[s + c];
        }
        var b = params[bBase + j];
        if (l < L) activate(cur, row, cnt, b);
        else for (c = 0; c < cnt; c++) cur[row + c] += b;
      }
      prev = cur;
      cur = cur === bufA ? bufB : bufA;
    }
    return prev;
  }
  // The output's logit z at every point of F (n points), into out.
  function logitsOf(k, F, n, out) {
    for (var p0 = 0; p0 < n; p0 += BLOCK) {
      var cnt = Math.min(BLOCK, n - p0), z = layers(k, F, n, p0, cnt, L);
      for (var c = 0; c < cnt; c++) out[p0 + c] = z[c];
    }
    return out;
  }
  // Which points of F (n of them, labels Ys) snapshot k misclassifies: A > 0.5 is nncore's class 1.
  function wrongOf(k, F, n, Ys) {
    var wrong = [], z = logitsOf(k, F, n, new Float64Array(n));
    for (var j = 0; j < n; j++) {
      var a = 1 / (1 + Math.exp(-z[j]));
      if ((a > 0.5 ? 1 : 0) !== Ys[j]) wrong.push(j);
    }
    return wrong;
  }

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
  // A heavy network: while the slider moves, a first picture on a grid of 2x2-pixel blocks (a
  // quarter of the work), then the full one once it rests (REFINE_MS later).
  var MACS = 0;
  for (var l1 = 1; l1 <= L; l1++) MACS += SIZES[l1] * SIZES[l1 - 1];
  var HEAVY = (SEPARABLE ? NH : MACS) * N * N > 6e6, REFINE_MS = 200, NC = N >> 1;
  var xsC = new Float64Array(NC), ysC = new Float64Array(NC), zC = new Float64Array(NC * NC);
  for (var c2 = 0; c2 < NC; c2++) xsC[c2] = E[0] + (2 * c2 + 1) * dx; // the centre of each block
  for (var r2 = 0; r2 < NC; r2++) ysC[r2] = E[3] - (2 * r2 + 1) * dy;
  // The grid's inputs (any network but week 3's): features of every pixel centre, row by row from the top.
  function gridFeatures(gx, gy) {
    var w = gx.length, h = gy.length, x1s = new Float64Array(w * h), x2s = new Float64Array(w * h);
    for (var r = 0, i = 0; r < h; r++) for (var c = 0; c < w; c++, i++) { x1s[i] = gx[c]; x2s[i] = gy[r]; }
    return features(x1s, x2s, w * h);
  }
  var gridF = SEPARABLE ? null : gridFeatures(xs, ys), gridFC = null; // the coarse grid's, when first needed
  var LUT_N = D.lut_size, LUT_K = (LUT_N - 1) / (2 * D.lut_z), LUT_OFF = (LUT_N - 1) / 2 + 0.5;

  // z = W2 tanh(W1 x + b1) + b2 on the grid. With tanh(s) = 1 - 2 / (1 + exp(2 s)) and
  // exp(2 (a + b)) = exp(2 a) exp(2 b), a unit costs a multiply-add and a division per pixel
  // instead of a tanh: exp is taken once per column and once per row.
  function logits(k, out, xsG, ysG) { // xsG, ysG: the grid (at most N long, the scratch rows' size)
    if (!SEPARABLE) {
      var F = xsG === xs ? gridF : (gridFC = gridFC || gridFeatures(xsC, ysC));
      return logitsOf(k, F, xsG.length * ysG.length, out);
    }
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

  // The training and test points in pixel coordinates, and which ones an iteration misclassifies
  // (from the network's inputs as nncore computed them).
  function pixels(Pts, n) {
    var u = new Float64Array(n), v = new Float64Array(n);
    for (var q = 0; q < n; q++) { u[q] = (Pts[q] - E[0]) / dx; v[q] = (E[3] - Pts[n + q]) / dy; }
    return [u, v];
  }
  var pxy = pixels(PT, m), px = pxy[0], py = pxy[1];
  var txy = TS ? pixels(PTT, mT) : [null, null], tpx = txy[0], tpy = txy[1];
  function misclassified(k) { return wrongOf(k, X, m, Y); }
  function misclassifiedTest(k) { return TS ? wrongOf(k, XT, mT, YT) : []; }

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
  var TR = S.test_radius * R, THOLE = S.test_hole * R;
  function paintOverlay(wrong, wrongTest) {
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
    wrongTest.forEach(function (p) { octx.moveTo(tpx[p] + RING, tpy[p]); octx.arc(tpx[p], tpy[p], RING, 0, 2 * Math.PI); });
    octx.stroke();
    discs(R, C.outline, -1);
    discs(R - OUTLINE, C.class0, 0);
    discs(R - OUTLINE, C.class1, 1);
    if (TS) { // hollow: a ring in its class colour, outlined, told from a disc by its shape
      rings(TR, Math.max(THOLE - OUTLINE, 0), C.outline, -1);
      rings(TR - OUTLINE, THOLE, C.class0, 0);
      rings(TR - OUTLINE, THOLE, C.class1, 1);
    }
  }
  function rings(outer, inner, color, label) {
    octx.fillStyle = color;
    octx.beginPath();
    for (var p = 0; p < mT; p++) {
      if (label >= 0 && YT[p] !== label) continue;
      octx.moveTo(tpx[p] + outer, tpy[p]);
      octx.arc(tpx[p], tpy[p], outer, 0, 2 * Math.PI);
      if (inner > 0) { octx.moveTo(tpx[p] + inner, tpy[p]); octx.arc(tpx[p], tpy[p], inner, 0, 2 * Math.PI, true); }
    }
    octx.fill("evenodd");
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
  var curveYT = TS ? new Float64Array(T + 1) : null; // the test cost's
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
    for (var i = 0; i <= T; i++) { curveX[i] = cx(i); curveY[i] = cy(cost[i]); if (TS) curveYT[i] = cy(costT[i]); }
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
    g.fillText(UNIT + " (log scale)", plot.x + plot.w, plot.y + plot.h + 22);
    g.textAlign = "left";
    g.textBaseline = "top";
    g.fillText(TS ? "cost (test cost dashed)" : "cost", 8, 2);
    g.globalAlpha = 0.45;
    g.strokeStyle = C.muted;
    g.lineWidth = 1.5;
    tracePath(g, T, curveY);
    g.stroke();
    if (TS) {
      g.globalAlpha = 0.8;
      g.setLineDash([5, 4]);
      tracePath(g, T, curveYT);
      g.stroke();
      g.setLineDash([]);
    }
    g.globalAlpha = 1;
  }
  // Every iteration's cost, merged where several fall on one column (min and max kept).
  function tracePath(g, upTo, curveY) {
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
    tracePath(cctx, it, curveY);
    cctx.stroke();
    cctx.fillStyle = C.highlight;
    cctx.strokeStyle = "#111418";
    cctx.beginPath();
    cctx.arc(curveX[it], curveY[it], 5, 0, 2 * Math.PI);
    cctx.fill();
    cctx.stroke();
  }

  // --- the network diagram (the layout of scenes/common/network.py's NetworkDiagram) -------------
  var G = D.diagram, GL = G.layout;
  function valueColor(v, scale) { // scenes/common/colors.value_rgb, from its table
    var t = scale > 0 ? v / scale : 0;
    var j = Math.round((Math.min(Math.max(t, -1), 1) + 1) / 2 * (VN - 1)) * 4;
    return "rgb(" + valueLut[j] + "," + valueLut[j + 1] + "," + valueLut[j + 2] + ")";
  }
  function valueWidth(v, scale) { // palette.value_width, in scene units
    var t = scale > 0 ? Math.min(Math.abs(v) / scale, 1) : 0;
    return (G.min_width + (G.max_width - G.min_width) * t) * G.stroke_unit;
  }
  var edges = [], nodes = [];
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  // The features as a diagram and a formula write them.
  var FEATURE_TEXT = {
    "x1": "x\u2081", "x2": "x\u2082", "x1^2": "x\u2081\u00b2", "x2^2": "x\u2082\u00b2", "x1*x2": "x\u2081x\u2082",
    "sin(x1)": "sin x\u2081", "sin(x2)": "sin x\u2082",
  };
  var DEFAULT_INPUTS = D.features.join() === "x1,x2";
  var ACT_NAME = { tanh: "tanh", relu: "ReLU", leaky_relu: "leaky ReLU", sigmoid: "sigmoid" }[ACT] || ACT;
  function buildDiagram() {
    // The video's layout (scenes/common/layout.py), exported with the data: one column a layer.
    var nr = GL.node_radius, xsL = GL.xs, iy = GL.input_ys, pad = 0.42;
    var colYs = [iy].concat(GL.ys, [[0]]); // every column's drawn nodes' heights
    var colUnits = [iy.map(function (_, j) { return j; })].concat(GL.shown, [[0]]);
    var all = [].concat.apply([], colYs);
    var top = Math.max.apply(null, all) + nr + 0.12;
    var bottom = Math.min.apply(null, all) - nr - (L === 2 ? 0.3 : 0.5);
    var left = DEFAULT_INPUTS ? pad : pad + 0.6; // room for the features' names
    var width = xsL[L] - xsL[0];
    svg.setAttribute("viewBox", [xsL[0] - left, -top, width + left + pad, top - bottom].join(" "));
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
      edges.push(item);
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
    // Edges unit by unit, layer by layer: into each drawn unit from every drawn unit before it, and
    // from a unit of the last hidden layer on to the output.
    for (var l = 1; l < L; l++) {
      colUnits[l].forEach(function (u, r) {
        colUnits[l - 1].forEach(function (i, r0) {
          line(xsL[l - 1], colYs[l - 1][r0], xsL[l], colYs[l][r], { kind: "w", l: l, u: u, k: i });
        });
        if (l === L - 1) line(xsL[l], colYs[l][r], xsL[L], 0, { kind: "w", l: L, u: 0, k: u });
      });
    }
    for (var j = 0; j < NX; j++) {
      if (DEFAULT_INPUTS) node(xsL[0], iy[j], "x", { kind: "input", k: j }, String(j + 1));
      else {
        node(xsL[0], iy[j], "", { kind: "input", k: j });
        var name = el("text", { x: xsL[0] - nr - 0.06, y: -iy[j], class: "ex-feature", "font-size": "0.15" }, gNodes);
        name.textContent = FEATURE_TEXT[D.features[j]];
      }
    }
    for (var l2 = 1; l2 < L; l2++) {
      colUnits[l2].forEach(function (u, r) { node(xsL[l2], colYs[l2][r], String(u + 1), { kind: "hidden", l: l2, u: u }); });
      if (GL.ellipsis_ys[l2 - 1] !== null) {
        var dots = el("text", { x: xsL[l2], y: -GL.ellipsis_ys[l2 - 1], class: "ex-dots", "font-size": "0.3" }, gNodes);
        dots.textContent = "\u22ee";
      }
    }
    node(xsL[L], 0, "\u0177", { kind: "output" });
    // under each column: "hidden: 4 tanh" for one hidden layer; "hidden 1" over "10 ReLU" for several
    var labels = [["input", xsL[0]]];
    for (var l3 = 1; l3 < L; l3++) {
      var what = SIZES[l3] + " " + ACT_NAME;
      labels.push(L === 2 ? ["hidden: " + what, xsL[l3]] : ["hidden " + l3, xsL[l3], what]);
    }
    labels.push(["output: \u03c3", xsL[L]]);
    labels.forEach(function (lb) {
      var t = el("text", { x: lb[1], y: -bottom - 0.12, class: "ex-layer", "font-size": "0.15" }, gNodes);
      t.textContent = lb[0];
      if (lb[2]) el("text", { x: lb[1], y: -bottom + 0.08, class: "ex-layer", "font-size": "0.15" }, gNodes).textContent = lb[2];
    });
  }
  function paintDiagram(k) {
    edges.forEach(function (e) {
      var v = Wl(k, e.l, e.u, e.k), scale = D.scales[e.l - 1];
      e.line.setAttribute("stroke", valueColor(v, scale));
      e.line.setAttribute("stroke-width", valueWidth(v, scale).toFixed(4));
      e.el.setAttribute("aria-label", describe(e, k));
    });
    nodes.forEach(function (n) { n.el.setAttribute("aria-label", describe(n, k)); });
  }

  // --- what a hovered or focused part says ------------------------------------------------------
  function unitName(l, u) { // "hidden unit 3" (one hidden layer), "unit 3 of hidden layer 2"
    return L === 2 ? "hidden unit " + (u + 1) : "unit " + (u + 1) + " of hidden layer " + l;
  }
  function inputName(k) { return "input " + FEATURE_TEXT[D.features[k]]; }
  function describe(item, k) {
    var u = item.u, l = item.l;
    switch (item.kind) {
      case "w":
        if (l === L) {
          return "weight from " + unitName(L - 1, item.k) + " to the output: W" + L + "[" + (item.k + 1) + "] = " +
            num(Wl(k, L, 0, item.k));
        }
        return "weight from " + (l === 1 ? inputName(item.k) : unitName(l - 1, item.k)) + " to " + unitName(l, u) +
          ": W" + l + "[" + (u + 1) + "," + (item.k + 1) + "] = " + num(Wl(k, l, u, item.k));
      case "hidden":
        var onward = l === L - 1 ? ", weighted by W" + L + "[" + (u + 1) + "] = " + num(Wl(k, L, 0, u)) : "";
        if (l === 1 && NX <= 4) {
          var sum = num(Wl(k, 1, u, 0)) + " " + FEATURE_TEXT[D.features[0]];
          for (var i = 1; i < NX; i++) sum += term(Wl(k, 1, u, i), " " + FEATURE_TEXT[D.features[i]]);
          var a = L === 2 ? "a" + sub(u + 1) : "a[1]" + sub(u + 1);
          return unitName(l, u) + ": " + a + " = " + ACT_NAME + "(" + sum + term(Bl(k, 1, u), "") + ")" + onward;
        }
        return unitName(l, u) + ": " + ACT_NAME + " of " + (l === 1 ? (NX > 1 ? "the " + NX + " inputs" : "the input") :
          "layer " + (l - 1) + "'s " + (SIZES[l - 1] > 1 ? SIZES[l - 1] + " outputs" : "output")) + ", each weighted by W" + l + "[" + (u + 1) + ",\u00b7], plus b" + l + "[" +
          (u + 1) + "] = " + num(Bl(k, l, u)) + onward;
      case "output":
        return "output: y\u0302 = \u03c3(W" + L + " a + b" + L + ") with b" + L + " = " + num(Bl(k, L, 0)) +
          "; blue (class 1) where y\u0302 > 0.5";
      default:
        if (DEFAULT_INPUTS) {
          return "input x" + sub(item.k + 1) + ": the " + (item.k === 0 ? "horizontal" : "vertical") +
            " coordinate of a point";
        }
        return inputName(item.k) + ": computed from the point's coordinates x\u2081 (horizontal) and x\u2082 (vertical)";
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
  var umF = null, umA = new Float64Array(UM * UM);
  var valueWords = new Uint32Array(valueLut.buffer);
  // A hidden unit's activation over the plane: tanh on the video's scale (-1 to 1); any other
  // activation scaled by its largest magnitude on the map (returned), so its shape shows.
  function paintUnitMap(k, l, u) {
    var i, r, c, scale = 1;
    if (SEPARABLE) {
      var w0 = W1(k, u, 0), w1 = W1(k, u, 1), b = B1(k, u);
      for (r = 0, i = 0; r < UM; r++) {
        var rowPart = w1 * umY[r] + b;
        for (c = 0; c < UM; c++, i++) umA[i] = Math.tanh(w0 * umX[c] + rowPart); // scale 1, as the video's FieldPanel of a unit
      }
    } else {
      umF = umF || gridFeatures(umX, umY);
      var n = UM * UM;
      for (var p0 = 0; p0 < n; p0 += BLOCK) {
        var cnt = Math.min(BLOCK, n - p0), a = layers(k, umF, n, p0, cnt, l);
        for (c = 0; c < cnt; c++) umA[p0 + c] = a[u * cnt + c];
      }
      if (ACT !== "tanh") {
        scale = 0;
        for (i = 0; i < n; i++) scale = Math.max(scale, Math.abs(umA[i]));
      }
    }
    for (i = 0; i < UM * UM; i++) {
      var t = scale > 0 ? umA[i] / scale : 0;
      umPix[i] = valueWords[Math.round((Math.min(Math.max(t, -1), 1) + 1) / 2 * (VN - 1))];
    }
    uctx.putImageData(umImage, 0, 0);
    return scale;
  }
  function paintInfo() {
    var k = state.index;
    if (!selected) {
      infoText.textContent = HINT;
      info.classList.remove("ex-has-map");
      return;
    }
    var text = UNIT.charAt(0).toUpperCase() + UNIT.slice(1) + " " + its[k] + ": " + describe(selected, k) + ".";
    if (selected.kind === "hidden") {
      var scale = paintUnitMap(k, selected.l, selected.u);
      var colours = ACT === "tanh" ? "blue +1, red \u22121" : scale > 0 ? "deepest blue " + num(scale) +
        ", its largest value here; grey 0" + (ACT === "leaky_relu" ? ", red below" : "") : "0 everywhere";
      unitMap.setAttribute("aria-label", "the field of " + unitName(selected.l, selected.u) + ": " + colours);
      if (ACT !== "tanh") text += " Its field: " + colours + ".";
      info.classList.add("ex-has-map");
    } else {
      info.classList.remove("ex-has-map");
    }
    infoText.textContent = text;
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
    index: 0, iteration: 0, linked: !!D.follow, playing: false, wrong: [], wrongTest: [], timings: [], drawn: -1,
    coarse: false,
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
    state.wrongTest = misclassifiedTest(k);
    paintOverlay(state.wrong, state.wrongTest);
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
    slider.setAttribute("aria-valuetext", UNIT + " " + it + " of " + T);
    $("ex-iter").textContent = String(it);
    $("ex-cost").textContent = costText(cost[it]).replace("-", MINUS);
    $("ex-acc").textContent = percentText(correct[it] / m);
    $("ex-wrong").textContent = (m - correct[it]) + " of " + m;
    if (TS) {
      $("ex-test-cost").textContent = costText(costT[it]).replace("-", MINUS);
      $("ex-test-acc").textContent = percentText(correctT[it] / mT);
      $("ex-test-wrong").textContent = (mT - correctT[it]) + " of " + mT;
    }
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
    else if (video && videoIteration(video.currentTime) !== null) text = "Following the video: the " + UNIT + " it shows now.";
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
  if (TS) $("ex-test").hidden = false;
  $("ex-unit").textContent = UNIT;
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
    // The output's probability at points of the plane (x1s, x2s: arrays), snapshot k: the forward
    // pass that draws the picture, for the page's tests to hold against nncore's.
    probabilities: function (k, x1s, x2s) {
      var n = x1s.length, z = new Float64Array(n), out = [];
      if (SEPARABLE) {
        for (var j = 0; j < n; j++) {
          var s = 0;
          for (var u = 0; u < NH; u++) s += W2(k, u) * Math.tanh(W1(k, u, 0) * x1s[j] + W1(k, u, 1) * x2s[j] + B1(k, u));
          z[j] = s + B2(k);
        }
      } else {
        logitsOf(k, features(x1s, x2s, n), n, z);
      }
      for (var i = 0; i < n; i++) out.push(1 / (1 + Math.exp(-z[i])));
      return out;
    },
    ready: true,
  };
})();
