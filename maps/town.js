/* CSU Console map: the vector base layer (streets and buildings from a GeoJSON extract),
 * which needs no tiles at all. Drawn in the "town" canvas; street names along the longest
 * straight runs of each street.
 */
(function () {
  "use strict";

  var measureCtx = document.createElement("canvas").getContext("2d");

  function distanceM(a, b) {
    var dy = (b[0] - a[0]) * 111320, dx = (b[1] - a[1]) * 111320 * Math.cos(a[0] * Math.PI / 180);
    return Math.sqrt(dx * dx + dy * dy);
  }

  /* ---- town base layer: streets as lines, buildings as light polygons ---- */
  var ROAD_RANK = { primary: 6, primary_link: 6, trunk: 6, secondary: 5, tertiary: 4,
    tertiary_link: 4, residential: 3, unclassified: 3, living_street: 3, pedestrian: 2,
    service: 2, footway: 1, cycleway: 1, path: 1, steps: 1 };
  var ROAD_WIDTH = { 6: 7, 5: 6, 4: 5, 3: 4, 2: 2.5, 1: 1.2 };
  function rankOf(f) { return ROAD_RANK[f.properties && f.properties.highway] || 2; }

  function addTown(group, map, geojson, attribution, r) {
    var features = geojson.features || [];
    var buildings = [], roads = [];
    features.forEach(function (f) {
      var t = f.geometry && f.geometry.type;
      if (/Polygon$/.test(t)) { buildings.push(f); } else if (/LineString$/.test(t)) { roads.push(f); }
    });
    var rank = rankOf;
    roads.sort(function (a, b) { return rank(a) - rank(b); });
    var scale = function () { return Math.max(0.35, Math.min(1.6, Math.pow(2, map.getZoom() - 16))); };
    function roadStyle(casing) {
      return function (f) {
        var k = rank(f), w = ROAD_WIDTH[k] * scale();
        if (k === 1) { return { color: "#ffffff", weight: Math.max(0.8, w), opacity: 0.9, dashArray: null }; }
        return { color: casing ? "#bdb5aa" : (k >= 5 ? "#fff8e1" : "#ffffff"),
                 weight: casing ? w + 2 : w, opacity: 1, lineCap: "round", lineJoin: "round" };
      };
    }
    var opts = { renderer: r, interactive: false, pane: "town" };
    L.geoJSON({ type: "FeatureCollection", features: buildings }, L.extend({
      style: { color: "#c9bfb3", weight: 0.7, fillColor: "#d9d2c9", fillOpacity: 1 },
      attribution: attribution }, opts)).addTo(group);
    var casing = L.geoJSON({ type: "FeatureCollection", features: roads.filter(function (f) { return rank(f) >= 2; }) },
      L.extend({ style: roadStyle(true) }, opts)).addTo(group);
    var lines = L.geoJSON({ type: "FeatureCollection", features: roads }, L.extend({ style: roadStyle(false) }, opts)).addTo(group);
    map.on("zoomend", function () { casing.setStyle(roadStyle(true)); lines.setStyle(roadStyle(false)); });
    var labels = streetLabels(roads, r);
    labels.forEach(function (l) { l.addTo(group); });
    return { buildings: buildings.length, roads: roads.length, labels: labels.length };
  }

  /* Street names: a few per street, on its longest straight runs, drawn in the town canvas. */
  var STREET_FONT = "italic 11px 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
  var STREET_MIN_ZOOM = 16;

  var StreetLabel = L.CircleMarker.extend({
    options: { radius: 1, interactive: false },
    _updateBounds: function () {
      var e = this._half + 4, p = this._point;
      this._pxBounds = new L.Bounds(p.subtract([e, e]), p.add([e, e]));
    },
    _updatePath: function () {
      var r = this._renderer, map = this._map;
      if (!r._drawing || this._empty() || map.getZoom() < STREET_MIN_ZOOM) { return; }
      var a = map.latLngToLayerPoint(this._a), b = map.latLngToLayerPoint(this._b);
      if (a.distanceTo(b) < 2 * this._half + 16) { return; }
      var ang = Math.atan2(b.y - a.y, b.x - a.x), ctx = r._ctx, p = this._point;
      if (ang > Math.PI / 2) { ang -= Math.PI; } else if (ang < -Math.PI / 2) { ang += Math.PI; }
      ctx.save();
      ctx.translate(p.x, p.y);
      ctx.rotate(ang);
      ctx.font = STREET_FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(this._text, 0, 0);
      ctx.fillStyle = "#6d645b";
      ctx.fillText(this._text, 0, 0);
      ctx.restore();
    }
  });

  function streetLabels(roads, renderer) {
    var runs = {};  // name -> [{a, b, len}]
    roads.forEach(function (f) {
      var name = f.properties && f.properties.name;
      if (!name || rankOf(f) < 2 || f.geometry.type !== "LineString") { return; }
      var c = f.geometry.coordinates, start = 0, bearing = null;
      var k = c.length ? Math.cos(c[0][1] * Math.PI / 180) : 1;
      for (var i = 1; i <= c.length; i++) {
        var b = i < c.length ? Math.atan2(c[i][1] - c[i - 1][1], (c[i][0] - c[i - 1][0]) * k) : null;
        if (bearing === null) { bearing = b; continue; }
        var turn = b === null ? Math.PI : Math.abs(Math.atan2(Math.sin(b - bearing), Math.cos(b - bearing)));
        if (turn > 0.2) {
          var A = [c[start][1], c[start][0]], B = [c[i - 1][1], c[i - 1][0]];
          (runs[name] = runs[name] || []).push({ a: A, b: B, len: distanceM(A, B) });
          start = i - 1;
          bearing = b;
        }
      }
    });
    measureCtx.font = STREET_FONT;
    var out = [];
    Object.keys(runs).forEach(function (name) {
      var chosen = [], half = Math.ceil(measureCtx.measureText(name).width / 2);
      runs[name].sort(function (x, y) { return y.len - x.len; }).forEach(function (r) {
        var mid = [(r.a[0] + r.b[0]) / 2, (r.a[1] + r.b[1]) / 2];
        if (r.len < 40 || chosen.length >= 3) { return; }
        if (chosen.some(function (m) { return distanceM(m, mid) < 350; })) { return; }
        chosen.push(mid);
        var l = new StreetLabel(mid, { renderer: renderer, pane: "town" });
        l._a = r.a; l._b = r.b; l._text = name; l._half = half;
        out.push(l);
      });
    });
    return out;
  }

  window.CSUTown = { add: addTown };
})();
