/* CSU Console map module (plain JS, no build step).
 *
 * The page is built once by folium; this module owns the live layers. Python sends one
 * JSON batch per call (CSU.updateOfficers([...]) ...), never one call per marker, and the
 * page sends clicks and view changes back through the Qt web channel object "csu".
 * Public functions return a number (a count, or 1) that tests and diagnostics can read.
 */
(function () {
  "use strict";

  var PRIORITY_COLORS = { 1: "#d50000", 2: "#ff6d00", 3: "#fbc02d", 4: "#1e88e5" };
  // Every animation frame costs the whole view a repaint: ~20 ms of CPU at 1600x1000 on a
  // machine without GPU (measured). So pulses and flashes run on a slow shared clock, and
  // moving objects (tracks.js) pace their frames by what a frame costs.
  var STEP_MS = 400;         // flashing officers and pulsing alarms: one frame per step
  // In an alarm storm every pulsing ring is redrawn at every step: only the newest this many
  // pulse (the others keep a still ring), so the page's work per second stays bounded.
  var MAX_PULSING = 64;
  var PULSE_STEPS = [[13, 0.75], [19, 0.45], [25, 0.2]];  // ring radius px, opacity

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

  var CameraMarker = CanvasMarker.extend({
    options: { radius: 6 },
    _extent: function () { return [12, 12, 12, 12]; },
    _draw: function (ctx, p) {
      if (this._hl) { halo(ctx, p, 12); }
      ctx.beginPath();
      ctx.rect(p.x - 5, p.y - 5, 10, 10);
      // online: dark with a blue eye; offline: grey; not known yet: blue-grey, dim eye
      ctx.fillStyle = this._state === "online" ? "#263238" : this._state === "offline" ? "#9e9e9e" : "#78909c";
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(p.x, p.y, 2, 0, Math.PI * 2);
      ctx.fillStyle = this._state === "online" ? "#4fc3f7" : this._state === "offline" ? "#e0e0e0" : "#b0bec5";
      ctx.fill();
    }
  });

  /* An alarm is a pin: its triangle stands LIFT px above the place, on a stem that stops
   * short of it, so an officer at that very place (a weapon drawn from his holster) stays
   * visible under the alarm instead of being covered by it. Alarms at the same place fan
   * out sideways (`_dx`, spreadAlarms), their stems all pointing at the place. */
  var LIFT = 22, FAN = 24;
  var AlarmMarker = CanvasMarker.extend({
    options: { radius: 9 },
    _extent: function () {
      var dx = this._dx || 0;
      return [15 + Math.max(0, -dx), 15 + LIFT, 15 + Math.max(0, dx), 4];
    },
    _head: function () { return L.point(this._point.x + (this._dx || 0), this._point.y - LIFT); },
    _containsPoint: function (p) {
      return p.distanceTo(this._head()) <= this.options.radius + 4;
    },
    _draw: function (ctx, p) {
      var color = PRIORITY_COLORS[this._priority] || PRIORITY_COLORS[1];
      var x = p.x + (this._dx || 0), y = p.y - LIFT;
      ctx.beginPath();
      ctx.moveTo(x, y + 8); ctx.lineTo(p.x, p.y - 9);
      ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff"; ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = color; ctx.stroke();
      if (this._hl) { halo(ctx, { x: x, y: y }, 15); }
      ctx.beginPath();
      ctx.moveTo(x, y - 10);
      ctx.lineTo(x + 10, y + 8);
      ctx.lineTo(x - 10, y + 8);
      ctx.closePath();
      ctx.lineJoin = "round";
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.fillStyle = this._priority === 3 ? "#212121" : "#ffffff";
      ctx.fillRect(x - 1, y - 4, 2, 7);
      ctx.fillRect(x - 1, y + 4.5, 2, 2);
    }
  });

  /* Alarms within FAN px of each other at this zoom (one screen cell) stand side by side,
   * in a stable order (by id), instead of one pin hiding the others. */
  function spreadAlarms() {
    if (!CSU.map) { return 0; }
    var cells = new Map(), moved = 0;
    CSU.alarms.forEach(function (a) {
      var p = CSU.map.latLngToLayerPoint(a.marker.getLatLng());
      var key = Math.round(p.x / FAN) + ":" + Math.round(p.y / FAN), cell = cells.get(key);
      if (cell) { cell.push(a); } else { cells.set(key, [a]); }
    });
    cells.forEach(function (group) {
      group.sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
      group.forEach(function (a, i) {
        var dx = (i - (group.length - 1) / 2) * FAN;
        if ((a.marker._dx || 0) === dx) { return; }
        a.marker._dx = dx;
        var tip = a.marker.getTooltip();  // the title shows above the head, where it stands
        if (tip) { tip.options.offset = L.point(dx, -10 - LIFT); }
        a.marker.redraw();
        moved += 1;
      });
    });
    return moved;
  }

  /* The screen box of a marker of the live canvas, in the view's pixels (labels avoid it). */
  function alarmBox(a) {
    var p = CSU.map.latLngToContainerPoint(a.marker.getLatLng()), dx = a.marker._dx || 0;
    return new window.CSULabels.Box(p.x + Math.min(0, dx) - 12, p.y - LIFT - 12, 24 + Math.abs(dx),
                                    LIFT + 3, "alarm", a.id);
  }
  /* The pin's head alone (the triangle), in the view's pixels: what an operator clicks. */
  function alarmHead(a) {
    var p = CSU.map.latLngToContainerPoint(a.marker.getLatLng()), dx = a.marker._dx || 0;
    return { x: p.x + dx - 11, y: p.y - LIFT - 11, w: 22, h: 20 };
  }
  function cameraBox(cam) {
    var p = CSU.map.latLngToContainerPoint(cam.marker.getLatLng());
    return new window.CSULabels.Box(p.x - 7, p.y - 7, 14, 14, "camera", cam.id);
  }

  /* ---- animation: one timer, running only while something moves, flashes or pulses ---- */
  var anim = { pulsing: new Map(), flashing: 0, timer: 0, lastStep: 0, step: 0, phase: false };

  function kick() {
    if (anim.timer || !(anim.pulsing.size || anim.flashing)) { return; }
    anim.timer = setTimeout(tick, STEP_MS);
  }

  function tick() {
    var now = performance.now();
    anim.timer = 0;
    if (now - anim.lastStep >= STEP_MS - 5) {
      anim.lastStep = now;
      anim.step += 1;
      anim.phase = anim.step % 2 === 1;
      if (anim.flashing && CSU.tracks) { CSU.tracks.phase = anim.phase; CSU.tracks.request(); }
      var ps = PULSE_STEPS[anim.step % PULSE_STEPS.length];
      anim.pulsing.forEach(function (ring) {
        ring.setRadius(ps[0]);
        ring.setStyle({ opacity: ps[1], fillOpacity: ps[1] / 3 });
      });
    }
    kick();
  }

  /* ---- the module ---- */
  var CSU = {
    map: null, bridge: null, errors: 0,
    officers: new Map(), cameras: new Map(), alarms: new Map(),
    tracks: null, base: {}, _hl: null, _probe: null
  };

  function guard(fn, item) {
    try { fn(item); } catch (err) {
      CSU.errors += 1;
      if (CSU.errors <= 5) { console.error("CSU: bad item " + JSON.stringify(item) + ": " + err); }
    }
  }

  /* The press on a camera is over (mouse up in the page, or Qt's drag ended). */
  CSU.endPress = function () { if (CSU.map) { CSU.map.dragging.enable(); } };
  document.addEventListener("mouseup", function () { CSU.endPress(); });

  function send(kind, id) {
    if (CSU.bridge) { CSU.bridge.clicked(kind, String(id)); } else { console.log("CSU click " + kind + " " + id); }
  }

  function contextMenu(lat, lon, kind, id) {
    if (CSU.bridge) { CSU.bridge.contextMenu(lat, lon, kind || "", String(id || "")); }
  }

  CSU.init = function (map, opts) {
    CSU.map = map;
    map.setMinZoom(3);
    map.setMaxZoom(20);
    map.attributionControl.setPrefix("Leaflet");  // Leaflet's default prefix links to the web
    L.control.scale({ imperial: false }).addTo(map);
    var panes = { town: 250, zones: 300, cones: 380, pulse: 390, tracks: 410, live: 420 };
    Object.keys(panes).forEach(function (name) {
      map.createPane(name).style.zIndex = String(panes[name]);
    });
    map.getPane("town").style.pointerEvents = "none";
    map.getPane("cones").style.pointerEvents = "none";
    map.getPane("pulse").style.pointerEvents = "none";
    map.getPane("zones").style.pointerEvents = "none";
    map.getPane("tracks").style.pointerEvents = "none";
    CSU._r = {
      town: L.canvas({ pane: "town", padding: 0.5 }),
      cones: L.canvas({ pane: "cones" }),
      pulse: L.canvas({ pane: "pulse" }),
      // One interactive canvas for every clickable marker: stacked canvases would hide
      // the clicks of the lower ones.
      live: L.canvas({ pane: "live", tolerance: 2 })
    };
    addBaseLayers(map, opts);
    if (window.CSU_ZONES) { addZones(map, window.CSU_ZONES); }
    CSU.tracks = new window.CSUTracks(function (type, id) {
      if (type === "contextmenu") { var r = CSU.tracks.items.get(id); contextMenu(r.lat, r.lon, "officer", id); } else { send("officer", id); }
    });
    CSU.tracks.obstacles = function (placer) {
      CSU.alarms.forEach(function (a) { placer.block(alarmBox(a)); });
      CSU.cameras.forEach(function (c) { placer.block(cameraBox(c)); });
    };
    CSU.tracks.lowLabels = placeZoneNames;
    if (num(opts.staleS) !== null) { CSU.tracks.staleMs = num(opts.staleS) * 1000; }
    if (num(opts.trailS) !== null) { CSU.tracks.trailMs = num(opts.trailS) * 1000; }
    CSU.tracks.addTo(map);
    map.on("click", function (e) {
      var h = CSU.tracks.hit(e.containerPoint);
      if (h && h.kind === "officer") { send("officer", h.id); }
      if (h && h.kind === "cluster") { map.setView(e.latlng, Math.min(map.getZoom() + 2, 16)); }
    });
    map.on("contextmenu", function (e) {
      var h = CSU.tracks.hit(e.containerPoint);
      contextMenu(e.latlng.lat, e.latlng.lng, h && h.kind === "officer" ? "officer" : "", h ? h.id : "");
    });
    map.on("dragstart", function () {
      if (CSU.tracks.follow) { CSU.follow(null); if (CSU.bridge) { CSU.bridge.followStopped(); } }
    });
    map.on("baselayerchange", function (e) {
      if (CSU.bridge && e.layer._csuName) { CSU.bridge.baseChanged(e.layer._csuName); }
    });
    addFollowControl(map);
    map.on("zoomend", spreadAlarms);
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

  /* Base layers: the site's tile sources (URL templates, providers, MBTiles through the
   * mbtiles: scheme) and the vector streets; each shows its own attribution while shown. */
  function addBaseLayers(map, opts) {
    var layers = {}, names = [];
    (opts.tiles || []).forEach(function (t) {
      var layer = L.tileLayer(t.url, { attribution: t.attribution || "", maxZoom: 20,
        maxNativeZoom: num(t.maxNativeZoom) || 19, minNativeZoom: num(t.minNativeZoom) || 0 });
      layer._csuName = t.name;
      layers[t.name] = layer; names.push(t.name);
    });
    if (opts.town && window.CSU_TOWN) {
      var town = L.layerGroup();
      CSU.town = window.CSUTown.add(town, map, window.CSU_TOWN, opts.townAttribution || "", CSU._r.town);
      town._csuName = opts.townName || "streets";
      layers[town._csuName] = town; names.push(town._csuName);
    }
    var first = layers[opts.base] ? opts.base : names[0];
    if (first) { layers[first].addTo(map); }
    if (names.length > 1) { L.control.layers(layers, null, { position: "topright" }).addTo(map); }
    CSU.base = layers;
  }

  /* Sector and zone names are the lowest labels: each moves above or below its place, or
   * hides, when a marker or a higher label is there. They are DOM tooltips: their size is
   * read once (it never changes), their place computed, so a frame forces no layout. */
  function placeZoneNames(placer) {
    if (!CSU.zones) { return; }
    var Lb = window.CSULabels, map = CSU.map;
    CSU.zones.tips.forEach(function (tip) {
      var el = tip.getElement();
      if (!el || !tip._map) { return; }
      if (!tip._csuSize || !tip._csuSize[0]) { tip._csuSize = [el.offsetWidth, el.offsetHeight]; }
      var w = tip._csuSize[0], h = tip._csuSize[1], c = map.latLngToContainerPoint(tip.getLatLng());
      var cands = [0, -(h + 4), h + 4, -2 * (h + 4), 2 * (h + 4)].map(function (dy) {
        var b = Lb.label(c.x - w / 2, c.y - h / 2 + dy, w, h, "zone", tip._csuName);
        b.dy = dy;
        return b;
      });
      var b = placer.place(cands), dy = b ? b.dy : 0, vis = b ? "" : "hidden";
      if (tip._csuDy !== dy) { tip._csuDy = dy; el.style.marginTop = dy + "px"; }
      if (el.style.visibility !== vis) { el.style.visibility = vis; }
    });
  }

  function addZones(map, geojson) {
    var palette = ["#6a1b9a", "#00838f", "#ef6c00", "#2e7d32", "#ad1457", "#283593"], n = 0, count = 0, tips = [];
    var layer = L.geoJSON(geojson, {
      pane: "zones", interactive: false,
      style: function (f) {
        var p = f.properties || {};
        if (p.kind === "geofence") {
          return { color: p.color || "#c62828", weight: 2, dashArray: "8 6", fillOpacity: 0.06 };
        }
        var c = p.color || palette[n++ % palette.length];
        return { color: c, weight: 2, opacity: 0.8, fillColor: c, fillOpacity: 0.05 };
      },
      onEachFeature: function (f, l) {
        count += 1;
        var name = f.properties && f.properties.name;
        if (name) {
          l.bindTooltip(esc(name), { permanent: true, direction: "center", className: "csu-zone-label", pane: "zones" });
          var tip = l.getTooltip();
          tip._csuName = String(name);
          tips.push(tip);
        }
      }
    }).addTo(map);
    CSU.zones = { count: count, layer: layer, tips: tips };
  }

  function addFollowControl(map) {
    var FollowControl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "csu-follow leaflet-bar");
        div.style.display = "none";
        L.DomEvent.disableClickPropagation(div);
        div.addEventListener("click", function () {
          CSU.follow(null);
          if (CSU.bridge) { CSU.bridge.followStopped(); }
        });
        return div;
      }
    });
    CSU._followCtl = new FollowControl().addTo(map);
  }

  /* ---- officers and other moving objects (tracks.js draws them) ---- */
  CSU.setSmoothing = function (on) {
    CSU.tracks.smoothing = !!on;
    return 1;
  };

  CSU.setTracking = function (staleS, trailS) {
    CSU.tracks.staleMs = staleS * 1000;
    CSU.tracks.trailMs = trailS * 1000;
    CSU.tracks.request();
    return 1;
  };

  function countFlashing() {
    var n = 0;
    CSU.tracks.items.forEach(function (r) { if (r.o.status === "emergency") { n += 1; } });
    anim.flashing = n;
  }

  CSU.updateOfficers = function (items) {
    var n = CSU.tracks.update(items, guard);
    countFlashing();
    var f = CSU.tracks.follow && CSU.tracks.items.get(CSU.tracks.follow);
    if (f && items.some(function (o) { return String(o.id) === f.id; })) {
      CSU.map.panTo([f.lat, f.lon], { animate: true, duration: 1, easeLinearity: 1, noMoveStart: true });
    }
    kick();
    return n;
  };

  CSU.removeOfficers = function (ids) {
    var n = CSU.tracks.remove(ids);
    countFlashing();
    return n;
  };

  /* Keep one officer centred (null stops); `label` is the control's text, from Python. */
  CSU.follow = function (id, label) {
    var div = CSU._followCtl.getContainer();
    CSU.tracks.follow = id ? String(id) : null;
    div.style.display = id ? "" : "none";
    div.textContent = id ? "\u25C9 " + (label || id) + "  \u2715" : "";
    var r = id && CSU.tracks.items.get(String(id));
    if (r) { CSU.map.setView([r.lat, r.lon], Math.max(CSU.map.getZoom(), 16)); }
    CSU.tracks.request();
    return id ? 1 : 0;
  };

  /* Lines from an alarm to the officers proposed for it, the suggested one first and red. */
  CSU.showResponders = function (lat, lon, items) {
    CSU.tracks.responders = items && items.length ? { lat: lat, lon: lon, items: items } : null;
    CSU.tracks.request();
    return items ? items.length : 0;
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
    // c.online: true, false, or null/absent when no tile or adapter has seen it yet
    var state = c.online === true ? "online" : c.online === false ? "offline" : "unknown";
    var online = state === "online", cam = CSU.cameras.get(id);
    if (!cam) {
      cam = { id: id, marker: new CameraMarker([lat, lon], { renderer: CSU._r.live }), cone: null };
      cam.marker.on("click", function () { send("camera", id); });
      cam.marker.on("mousedown", function (e) {
        // a camera pressed may be dragged onto the wall (Qt starts that drag): not a pan
        if (e.originalEvent && e.originalEvent.button !== 0) { return; }
        CSU.map.dragging.disable();
        if (CSU.bridge && CSU.bridge.pressed) { CSU.bridge.pressed("camera", id); }
      });
      cam.marker.on("contextmenu", function () { var ll = cam.marker.getLatLng(); contextMenu(ll.lat, ll.lng, "camera", id); });
      cam.marker.addTo(CSU.map);
      CSU.cameras.set(id, cam);
    } else {
      cam.marker.setLatLng([lat, lon]);
    }
    cam.marker._state = state;
    cam.marker.unbindTooltip().bindTooltip(esc(c.name || id), { direction: "top", offset: [0, -6] });
    cam.marker.redraw();
    var heading = num(c.heading), angle = num(c.angle), range = num(c.range);
    if (cam.cone) { cam.cone.remove(); cam.cone = null; }
    if (heading !== null && angle !== null && range !== null && angle > 0 && range > 0) {
      // online: blue; offline: grey, dashed; not known yet: an outline only, dotted
      var color = online ? "#1e88e5" : state === "offline" ? "#616161" : "#90a4ae";
      cam.cone = L.polygon(conePoints(lat, lon, heading, Math.min(angle, 360), range), {
        renderer: CSU._r.cones, pane: "cones", interactive: false, color: color, weight: 1,
        opacity: online ? 0.7 : 0.8, fillColor: color,
        fillOpacity: online ? 0.16 : state === "offline" ? 0.12 : 0.03,
        dashArray: online ? null : state === "offline" ? "4 4" : "2 4"
      }).addTo(CSU.map);
      cam.cone._state = state;
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
          a = { id: id, marker: new AlarmMarker([lat, lon], { renderer: CSU._r.live }),
                ring: L.circleMarker([lat, lon], { renderer: CSU._r.pulse, pane: "pulse", interactive: false,
                                                   radius: 13, weight: 2 }) };
          a.marker.on("click", function () { send("alarm", id); });
          a.marker.on("contextmenu", function () { var ll = a.marker.getLatLng(); contextMenu(ll.lat, ll.lng, "alarm", id); });
          a.marker.addTo(CSU.map);
          CSU.alarms.set(id, a);
        } else {
          a.marker.setLatLng([lat, lon]);
          a.ring.setLatLng([lat, lon]);
        }
        a.marker._priority = p;
        a.marker.unbindTooltip().bindTooltip(esc(al.title || id), { direction: "top", offset: [a.marker._dx || 0, -10 - LIFT] });
        a.marker.redraw();
        a.ring.setStyle({ color: PRIORITY_COLORS[p], fillColor: PRIORITY_COLORS[p] });
        if (al.state === "new") {
          if (!a.ring._map) { a.ring.addTo(CSU.map); }
          if (!anim.pulsing.has(id)) {
            anim.pulsing.set(id, a.ring);
            if (anim.pulsing.size > MAX_PULSING) {  // the oldest stops pulsing, stays ringed
              anim.pulsing.delete(anim.pulsing.keys().next().value);
            }
          }
        } else {
          anim.pulsing.delete(id);
          a.ring.remove();
        }
      }, al);
    });
    spreadAlarms();
    kick();
    return CSU.alarms.size;
  };

  CSU.removeAlarms = function (ids) {
    ids.forEach(function (id) { removeAlarm(String(id)); });
    spreadAlarms();
    return CSU.alarms.size;
  };

  /* ---- view ---- */
  CSU.centerOn = function (lat, lon, zoom) {
    // Leaflet swallows a setView while a zoom animation runs: finish that one first
    // (vendored Leaflet 1.9.4's own end-of-animation step).
    if (CSU.map._animatingZoom) { CSU.map._onZoomTransitionEnd(); }
    CSU.map.setView([lat, lon], zoom === null || zoom === undefined ? CSU.map.getZoom() : zoom);
    return 1;
  };

  CSU.layer = function (kind, id) {
    var table = { officer: CSU.tracks.items, camera: CSU.cameras, alarm: CSU.alarms }[kind];
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
    var r = CSU.tracks.items.get(String(id));
    if (!r) { return [0, 0, 0]; }
    var ll = CSU.tracks.displayed(r);
    return [ll[0], ll[1], CSU.tracks.moving(r) ? 1 : 0];
  };
  /* Where an officer is drawn, in the view's pixels (tests click there). */
  CSU.officerPoint = function (id) {
    var r = CSU.tracks.items.get(String(id));
    if (!r) { return null; }
    var ll = CSU.tracks.displayed(r), p = CSU.map.latLngToContainerPoint(ll);
    return [p.x, p.y];
  };
  CSU.officerState = function (id) {
    var r = CSU.tracks.items.get(String(id));
    if (!r) { return null; }
    return { stale: CSU.tracks.isStale(r), trail: r.trail.length, live: !!r.o.live, status: r.o.status || "",
             shown: r.shown, hl: !!r._hl };
  };
  CSU.counts = function () {
    var cones = 0, moving = 0, st = CSU.tracks.stats;
    CSU.cameras.forEach(function (c) { if (c.cone) { cones += 1; } });
    CSU.tracks.items.forEach(function (r) { if (CSU.tracks.moving(r)) { moving += 1; } });
    return { officers: CSU.tracks.items.size, cameras: CSU.cameras.size, cones: cones,
             alarms: CSU.alarms.size, pulsing: anim.pulsing.size, moving: moving,
             flashing: anim.flashing, errors: CSU.errors, bridge: CSU.bridge ? 1 : 0,
             drawn: st.drawn, clusters: st.clusters, draws: st.draws,
             following: CSU.tracks.follow ? 1 : 0,
             responders: CSU.tracks.responders ? CSU.tracks.responders.items.length : 0,
             zones: CSU.zones ? CSU.zones.count : 0 };
  };
  /* The labels of the last frame, in the view's pixels: those drawn in the canvas as placed,
   * the zone names as the browser lays them out; and the alarm markers' boxes. */
  CSU.labelBoxes = function () {
    var pl = CSU.tracks.placer, out = [], origin = CSU.map.getContainer().getBoundingClientRect();
    if (!pl) { return null; }
    pl.labels().forEach(function (b) {
      if (b.kind !== "zone") { out.push({ kind: b.kind, text: b.text, x: b.x, y: b.y, w: b.w, h: b.h }); }
    });
    (CSU.zones ? CSU.zones.tips : []).forEach(function (tip) {
      var el = tip.getElement();
      if (!el || !tip._map || el.style.visibility === "hidden") { return; }
      var r = el.getBoundingClientRect();
      out.push({ kind: "zone", text: tip._csuName, x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
    });
    var alarms = [];
    CSU.alarms.forEach(function (a) {
      var b = alarmBox(a), h = alarmHead(a);
      alarms.push({ id: a.id, x: b.x, y: b.y, w: b.w, h: b.h, head: h });
    });
    return { labels: out, alarms: alarms, hidden: pl.hidden, size: [CSU.map.getSize().x, CSU.map.getSize().y] };
  };
  /* The page's frame clock: every animation frame's gap since the last reset (benchmarks). */
  CSU.frameProbe = function (reset) {
    var pr = CSU._probe;
    if (!pr) {
      pr = CSU._probe = { last: 0, gaps: [] };
      var loop = function (t) { if (pr.last) { pr.gaps.push(t - pr.last); } pr.last = t; requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
    }
    var g = pr.gaps.slice().sort(function (a, b) { return a - b; });
    var out = { frames: g.length, max: g.length ? g[g.length - 1] : 0,
                p99: g.length ? g[Math.min(g.length - 1, Math.round(0.99 * (g.length - 1)))] : 0,
                drawMax: CSU.tracks.stats.maxMs, drawLast: CSU.tracks.stats.lastMs };
    if (reset) { pr.gaps = []; CSU.tracks.stats.maxMs = 0; }
    return out;
  };
  CSU.view = function () {
    var c = CSU.map.getCenter();
    return [c.lat, c.lng, CSU.map.getZoom()];
  };

  window.CSU = CSU;
})();
