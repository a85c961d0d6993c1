/* CSU Console map module (plain JS, no build step).
 *
 * The page is built once by folium; this module owns the live layers. Python sends one
 * JSON batch per call (CSU.updateOfficers([...]) ...), never one call per marker, and the
 * page sends clicks and view changes back through the Qt web channel object "csu".
 * Public functions return a number (a count, or 1) that tests and diagnostics can read.
 */
(function () {
  "use strict";

  var STATUS_COLORS = {
    available: "#2e7d32", busy: "#f59e0b", intervention: "#1565c0",
    emergency: "#d50000", off_duty: "#8a8a8a"
  };
  var PRIORITY_COLORS = { 1: "#d50000", 2: "#ff6d00", 3: "#fbc02d", 4: "#1e88e5" };
  var LABEL_FONT = "600 12px 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
  var LABEL_MIN_ZOOM = 14;
  var LABEL_DX = 18;         // clear of the heading arrow when it points east
  // Every animation frame costs the whole view a repaint: ~20 ms of CPU at 1600x1000 on a
  // machine without GPU (measured). So animations run on a slow shared clock, and motion
  // smoothing is off unless the application turns it on (CSU.setSmoothing).
  var STEP_MS = 400;         // flashing officers and pulsing alarms: one frame per step
  var PULSE_STEPS = [[13, 0.75], [19, 0.45], [25, 0.2]];  // ring radius px, opacity
  var MOVE_MS = 1000;        // interpolation time between two fixes (when smoothing is on)
  var MOVE_FRAME_MS = 80;    // ~12 frames/s while something glides
  var MOVE_MAX = 50;         // more moving officers than this in one batch: jump
  var TELEPORT_M = 400;      // a jump longer than this is not animated

  var measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = LABEL_FONT;

  function num(v) { var n = Number(v); return (v === null || v === undefined || v === "" || !isFinite(n)) ? null : n; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function halo(ctx, p, r) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fillStyle = "rgba(255, 235, 59, 0.55)";
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#111";
    ctx.stroke();
  }

  /* A canvas marker that draws itself in one pass: cheaper than a DOM icon + tooltip. */
  var CanvasMarker = L.CircleMarker.extend({
    options: { radius: 7, interactive: true, bubblingMouseEvents: false },
    _extent: function () { return [16, 16, 16, 16]; },  // left, top, right, bottom in px
    _updateBounds: function () {
      var e = this._extent(), p = this._point;
      this._pxBounds = new L.Bounds(L.point(p.x - e[0], p.y - e[1]), L.point(p.x + e[2], p.y + e[3]));
    },
    _containsPoint: function (p) {
      return p.distanceTo(this._point) <= this.options.radius + 4;
    },
    _updatePath: function () {
      var r = this._renderer;
      if (!r._drawing || this._empty()) { return; }
      this._draw(r._ctx, this._point);
    }
  });

  var OfficerMarker = CanvasMarker.extend({
    setData: function (o) {
      if (!this._o || this._o.callsign !== o.callsign) {
        this._labelW = o.callsign ? Math.ceil(measureCtx.measureText(o.callsign).width) : 0;
      }
      this._o = o;
      if (this._map) { this._project(); this.redraw(); }
    },
    _extent: function () { return [19, 19, 19 + (this._labelW ? this._labelW : 0), 19]; },
    _containsPoint: function (p) {
      var d = p.subtract(this._point);
      if (d.x * d.x + d.y * d.y <= 121) { return true; }
      return this._labelW > 0 && d.x >= 10 && d.x <= LABEL_DX + 2 + this._labelW && Math.abs(d.y) <= 8;
    },
    _draw: function (ctx, p) {
      var o = this._o, color = STATUS_COLORS[o.status] || "#6d4c8d";
      var flashOff = o.status === "emergency" && anim.phase;
      if (this._hl) { halo(ctx, p, 15); }
      if (o.status === "emergency") {
        ctx.beginPath();
        ctx.arc(p.x, p.y, 13, 0, Math.PI * 2);
        ctx.fillStyle = flashOff ? "rgba(213,0,0,0.10)" : "rgba(213,0,0,0.35)";
        ctx.fill();
      }
      if (o.live) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, 10.5, 0, Math.PI * 2);
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = "#e53935";
        ctx.stroke();
      }
      var h = num(o.heading);
      if (h !== null) {
        var a = h * Math.PI / 180, sx = Math.sin(a), cy = -Math.cos(a);
        ctx.beginPath();
        ctx.moveTo(p.x + sx * 17, p.y + cy * 17);
        ctx.lineTo(p.x + sx * 6 - cy * 6, p.y + cy * 6 + sx * 6);
        ctx.lineTo(p.x + sx * 6 + cy * 6, p.y + cy * 6 - sx * 6);
        ctx.closePath();
        ctx.fillStyle = color;
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.arc(p.x, p.y, 6.5, 0, Math.PI * 2);
      ctx.fillStyle = flashOff ? "#ffffff" : color;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = flashOff ? color : "#ffffff";
      ctx.stroke();
      if (this._labelW && this._map.getZoom() >= LABEL_MIN_ZOOM) {
        var x = p.x + LABEL_DX, y = p.y + 4;
        ctx.font = LABEL_FONT;
        ctx.lineJoin = "round";
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.92)";
        ctx.strokeText(o.callsign, x, y);
        ctx.fillStyle = "#15202b";
        ctx.fillText(o.callsign, x, y);
      }
    }
  });

  var CameraMarker = CanvasMarker.extend({
    options: { radius: 6 },
    _extent: function () { return [12, 12, 12, 12]; },
    _draw: function (ctx, p) {
      if (this._hl) { halo(ctx, p, 12); }
      ctx.beginPath();
      ctx.rect(p.x - 5, p.y - 5, 10, 10);
      ctx.fillStyle = this._online ? "#263238" : "#9e9e9e";
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(p.x, p.y, 2, 0, Math.PI * 2);
      ctx.fillStyle = this._online ? "#4fc3f7" : "#e0e0e0";
      ctx.fill();
    }
  });

  var AlarmMarker = CanvasMarker.extend({
    options: { radius: 9 },
    _extent: function () { return [15, 15, 15, 15]; },
    _draw: function (ctx, p) {
      var color = PRIORITY_COLORS[this._priority] || PRIORITY_COLORS[1];
      if (this._hl) { halo(ctx, p, 15); }
      ctx.beginPath();
      ctx.moveTo(p.x, p.y - 10);
      ctx.lineTo(p.x + 10, p.y + 8);
      ctx.lineTo(p.x - 10, p.y + 8);
      ctx.closePath();
      ctx.lineJoin = "round";
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.fillStyle = this._priority === 3 ? "#212121" : "#ffffff";
      ctx.fillRect(p.x - 1, p.y - 4, 2, 7);
      ctx.fillRect(p.x - 1, p.y + 4.5, 2, 2);
    }
  });

  /* ---- animation: one timer, running only while something moves, flashes or pulses ---- */
  var anim = { moving: new Map(), pulsing: new Map(), flashing: new Map(), timer: 0,
               lastStep: 0, step: 0, phase: false, smoothing: false };

  function kick() {
    if (anim.timer || !(anim.moving.size || anim.pulsing.size || anim.flashing.size)) { return; }
    anim.timer = setTimeout(tick, anim.moving.size ? MOVE_FRAME_MS : STEP_MS);
  }

  function tick() {
    var now = performance.now();
    anim.timer = 0;
    anim.moving.forEach(function (m, id) {
      var f = Math.min(1, (now - m.t0) / MOVE_MS), e = f * (2 - f);
      m.marker.setLatLng([m.a[0] + (m.b[0] - m.a[0]) * e, m.a[1] + (m.b[1] - m.a[1]) * e]);
      if (f >= 1) { anim.moving.delete(id); }
    });
    if (now - anim.lastStep >= STEP_MS - 5) {
      anim.lastStep = now;
      anim.step += 1;
      anim.phase = anim.step % 2 === 1;
      anim.flashing.forEach(function (m) { m.redraw(); });
      var ps = PULSE_STEPS[anim.step % PULSE_STEPS.length];
      anim.pulsing.forEach(function (ring) {
        ring.setRadius(ps[0]);
        ring.setStyle({ opacity: ps[1], fillOpacity: ps[1] / 3 });
      });
    }
    kick();
  }

  function distanceM(a, b) {
    var dy = (b[0] - a[0]) * 111320, dx = (b[1] - a[1]) * 111320 * Math.cos(a[0] * Math.PI / 180);
    return Math.sqrt(dx * dx + dy * dy);
  }

  /* ---- the module ---- */
  var CSU = {
    map: null, bridge: null, errors: 0,
    officers: new Map(), cameras: new Map(), alarms: new Map(),
    _hl: null
  };

  function guard(fn, item) {
    try { fn(item); } catch (err) {
      CSU.errors += 1;
      if (CSU.errors <= 5) { console.error("CSU: bad item " + JSON.stringify(item) + ": " + err); }
    }
  }

  function send(kind, id) {
    if (CSU.bridge) { CSU.bridge.clicked(kind, String(id)); } else { console.log("CSU click " + kind + " " + id); }
  }

  CSU.init = function (map, opts) {
    CSU.map = map;
    map.setMinZoom(3);
    map.setMaxZoom(20);
    map.attributionControl.setPrefix("Leaflet");  // Leaflet's default prefix links to the web
    L.control.scale({ imperial: false }).addTo(map);
    var panes = { town: 250, cones: 380, pulse: 390, live: 420 };
    Object.keys(panes).forEach(function (name) {
      map.createPane(name).style.zIndex = String(panes[name]);
    });
    map.getPane("town").style.pointerEvents = "none";
    map.getPane("cones").style.pointerEvents = "none";
    map.getPane("pulse").style.pointerEvents = "none";
    CSU._r = {
      town: L.canvas({ pane: "town", padding: 0.5 }),
      cones: L.canvas({ pane: "cones" }),
      pulse: L.canvas({ pane: "pulse" }),
      // One interactive canvas for every clickable marker: stacked canvases would hide
      // the clicks of the lower ones.
      live: L.canvas({ pane: "live", tolerance: 2 })
    };
    if (opts.town && window.CSU_TOWN) { addTown(map, window.CSU_TOWN, opts.townAttribution || ""); }
    map.on("moveend", function () {
      var c = map.getCenter();
      if (CSU.bridge) { CSU.bridge.viewChanged(c.lat, c.lng, Math.round(map.getZoom())); }
    });
    if (window.QWebChannel && window.qt && window.qt.webChannelTransport) {
      new window.QWebChannel(window.qt.webChannelTransport, function (channel) {
        CSU.bridge = channel.objects.csu;
        CSU.bridge.pageReady();
      });
    } else {
      console.warn("CSU: no Qt web channel; clicks stay in the page");
    }
    return 1;
  };

  /* ---- town base layer: streets as lines, buildings as light polygons ---- */
  var ROAD_RANK = { primary: 6, primary_link: 6, trunk: 6, secondary: 5, tertiary: 4,
    tertiary_link: 4, residential: 3, unclassified: 3, living_street: 3, pedestrian: 2,
    service: 2, footway: 1, cycleway: 1, path: 1, steps: 1 };
  var ROAD_WIDTH = { 6: 7, 5: 6, 4: 5, 3: 4, 2: 2.5, 1: 1.2 };
  function rankOf(f) { return ROAD_RANK[f.properties && f.properties.highway] || 2; }

  function addTown(map, geojson, attribution) {
    var features = geojson.features || [];
    var buildings = [], roads = [];
    features.forEach(function (f) {
      var t = f.geometry && f.geometry.type;
      if (/Polygon$/.test(t)) { buildings.push(f); } else if (/LineString$/.test(t)) { roads.push(f); }
    });
    var rank = rankOf;
    roads.sort(function (a, b) { return rank(a) - rank(b); });
    var r = CSU._r.town;
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
      attribution: attribution }, opts)).addTo(map);
    var casing = L.geoJSON({ type: "FeatureCollection", features: roads.filter(function (f) { return rank(f) >= 2; }) },
      L.extend({ style: roadStyle(true) }, opts)).addTo(map);
    var lines = L.geoJSON({ type: "FeatureCollection", features: roads }, L.extend({ style: roadStyle(false) }, opts)).addTo(map);
    map.on("zoomend", function () { casing.setStyle(roadStyle(true)); lines.setStyle(roadStyle(false)); });
    var labels = streetLabels(roads);
    labels.forEach(function (l) { l.addTo(map); });
    CSU.town = { buildings: buildings.length, roads: roads.length, labels: labels.length };
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

  function streetLabels(roads) {
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
        var l = new StreetLabel(mid, { renderer: CSU._r.town, pane: "town" });
        l._a = r.a; l._b = r.b; l._text = name; l._half = half;
        out.push(l);
      });
    });
    measureCtx.font = LABEL_FONT;
    return out;
  }

  /* ---- officers ---- */
  CSU.setSmoothing = function (on) {
    anim.smoothing = !!on;
    return 1;
  };

  CSU.updateOfficers = function (items) {
    var animate = anim.smoothing && !document.hidden && items.length <= MOVE_MAX;
    var now = performance.now();
    items.forEach(function (o) {
      guard(function (o) {
        var id = String(o.id), lat = num(o.lat), lon = num(o.lon);
        if (lat === null || lon === null) { throw new Error("no position"); }
        var m = CSU.officers.get(id);
        if (!m) {
          m = new OfficerMarker([lat, lon], { renderer: CSU._r.live });
          m._id = id;
          m.on("click", function () { send("officer", id); });
          m.setData(o);
          m.addTo(CSU.map);
          CSU.officers.set(id, m);
        } else {
          var cur = m.getLatLng(), from = [cur.lat, cur.lng];
          m.setData(o);
          if (animate && CSU.map.getBounds().pad(0.2).contains(cur) && distanceM(from, [lat, lon]) < TELEPORT_M) {
            anim.moving.set(id, { marker: m, a: from, b: [lat, lon], t0: now });
          } else {
            anim.moving.delete(id);
            m.setLatLng([lat, lon]);
          }
        }
        m._target = [lat, lon];
        if (o.status === "emergency") { anim.flashing.set(id, m); } else { anim.flashing.delete(id); }
      }, o);
    });
    if (anim.moving.size && anim.timer) { clearTimeout(anim.timer); anim.timer = 0; }
    kick();
    return CSU.officers.size;
  };

  CSU.removeOfficers = function (ids) {
    ids.forEach(function (id) {
      id = String(id);
      var m = CSU.officers.get(id);
      if (m) { m.remove(); CSU.officers.delete(id); anim.moving.delete(id); anim.flashing.delete(id); }
    });
    return CSU.officers.size;
  };

  /* ---- fixed cameras: marker + field-of-view cone ---- */
  function conePoints(lat, lon, heading, angle, range) {
    var pts = [], full = angle >= 360, steps = Math.max(4, Math.ceil((full ? 360 : angle) / 8));
    var start = full ? 0 : heading - angle / 2, span = full ? 360 : angle;
    var mLat = 111320, mLon = 111320 * Math.cos(lat * Math.PI / 180);
    if (!full) { pts.push([lat, lon]); }
    for (var i = 0; i <= steps; i++) {
      var b = (start + span * i / steps) * Math.PI / 180;
      pts.push([lat + range * Math.cos(b) / mLat, lon + range * Math.sin(b) / mLon]);
    }
    return pts;
  }

  function setCamera(c) {
    var id = String(c.id), lat = num(c.lat), lon = num(c.lon);
    if (lat === null || lon === null) { throw new Error("no position"); }
    var online = c.online !== false, cam = CSU.cameras.get(id);
    if (!cam) {
      cam = { marker: new CameraMarker([lat, lon], { renderer: CSU._r.live }), cone: null };
      cam.marker.on("click", function () { send("camera", id); });
      cam.marker.addTo(CSU.map);
      CSU.cameras.set(id, cam);
    } else {
      cam.marker.setLatLng([lat, lon]);
    }
    cam.marker._online = online;
    cam.marker.unbindTooltip().bindTooltip(esc(c.name || id), { direction: "top", offset: [0, -6] });
    cam.marker.redraw();
    var heading = num(c.heading), angle = num(c.angle), range = num(c.range);
    if (cam.cone) { cam.cone.remove(); cam.cone = null; }
    if (heading !== null && angle !== null && range !== null && angle > 0 && range > 0) {
      var color = online ? "#1e88e5" : "#616161";
      cam.cone = L.polygon(conePoints(lat, lon, heading, Math.min(angle, 360), range), {
        renderer: CSU._r.cones, pane: "cones", interactive: false, color: color, weight: 1,
        opacity: online ? 0.7 : 0.8, fillColor: color, fillOpacity: online ? 0.16 : 0.12,
        dashArray: online ? null : "4 4"
      }).addTo(CSU.map);
    }
  }

  CSU.setCameras = function (items) {
    var keep = new Set(items.map(function (c) { return String(c.id); }));
    CSU.cameras.forEach(function (cam, id) {
      if (!keep.has(id)) { cam.marker.remove(); if (cam.cone) { cam.cone.remove(); } CSU.cameras.delete(id); }
    });
    items.forEach(function (c) { guard(setCamera, c); });
    return CSU.cameras.size;
  };

  /* ---- alarms ---- */
  function removeAlarm(id) {
    var a = CSU.alarms.get(id);
    if (!a) { return; }
    a.marker.remove();
    a.ring.remove();
    anim.pulsing.delete(id);
    CSU.alarms.delete(id);
  }

  CSU.updateAlarms = function (items) {
    items.forEach(function (al) {
      guard(function (al) {
        var id = String(al.id);
        if (al.state === "closed") { removeAlarm(id); return; }
        var lat = num(al.lat), lon = num(al.lon);
        if (lat === null || lon === null) { throw new Error("no position"); }
        var p = Math.min(4, Math.max(1, Math.round(num(al.priority) || 1)));
        var a = CSU.alarms.get(id);
        if (!a) {
          a = { marker: new AlarmMarker([lat, lon], { renderer: CSU._r.live }),
                ring: L.circleMarker([lat, lon], { renderer: CSU._r.pulse, pane: "pulse", interactive: false,
                                                   radius: 13, weight: 2 }) };
          a.marker.on("click", function () { send("alarm", id); });
          a.marker.addTo(CSU.map);
          CSU.alarms.set(id, a);
        } else {
          a.marker.setLatLng([lat, lon]);
          a.ring.setLatLng([lat, lon]);
        }
        a.marker._priority = p;
        a.marker.unbindTooltip().bindTooltip(esc(al.title || id), { direction: "top", offset: [0, -10] });
        a.marker.redraw();
        a.ring.setStyle({ color: PRIORITY_COLORS[p], fillColor: PRIORITY_COLORS[p] });
        if (al.state === "new") {
          if (!a.ring._map) { a.ring.addTo(CSU.map); }
          anim.pulsing.set(id, a.ring);
        } else {
          anim.pulsing.delete(id);
          a.ring.remove();
        }
      }, al);
    });
    kick();
    return CSU.alarms.size;
  };

  CSU.removeAlarms = function (ids) {
    ids.forEach(function (id) { removeAlarm(String(id)); });
    return CSU.alarms.size;
  };

  /* ---- view ---- */
  CSU.centerOn = function (lat, lon, zoom) {
    CSU.map.setView([lat, lon], zoom === null || zoom === undefined ? CSU.map.getZoom() : zoom);
    return 1;
  };

  CSU.layer = function (kind, id) {
    var table = { officer: CSU.officers, camera: CSU.cameras, alarm: CSU.alarms }[kind];
    var item = table && table.get(String(id));
    return item ? (item.marker || item) : null;
  };

  CSU.highlight = function (kind, id) {
    if (CSU._hl) { CSU._hl._hl = false; CSU._hl.redraw(); CSU._hl = null; }
    var m = id ? CSU.layer(kind, id) : null;
    if (!m) { return 0; }
    m._hl = true;
    m.bringToFront();
    m.redraw();
    CSU._hl = m;
    if (!CSU.map.getBounds().pad(-0.1).contains(m.getLatLng())) { CSU.map.panTo(m.getLatLng()); }
    return 1;
  };

  /* ---- readback, for tests and diagnostics ---- */
  CSU.officerLatLng = function (id) {
    var m = CSU.officers.get(String(id));
    if (!m) { return [0, 0, 0]; }
    var ll = m.getLatLng();
    return [ll.lat, ll.lng, anim.moving.has(String(id)) ? 1 : 0];
  };
  CSU.counts = function () {
    var cones = 0;
    CSU.cameras.forEach(function (c) { if (c.cone) { cones += 1; } });
    return { officers: CSU.officers.size, cameras: CSU.cameras.size, cones: cones,
             alarms: CSU.alarms.size, pulsing: anim.pulsing.size, moving: anim.moving.size,
             flashing: anim.flashing.size, errors: CSU.errors, bridge: CSU.bridge ? 1 : 0 };
  };
  CSU.view = function () {
    var c = CSU.map.getCenter();
    return [c.lat, c.lng, CSU.map.getZoom()];
  };

  window.CSU = CSU;
})();
