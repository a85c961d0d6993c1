/* CSU Console map: the moving objects layer (officers, vehicles...), plain JS, no build step.
 *
 * One canvas for every moving object, drawn in a few batched paths (one per colour) instead
 * of one Leaflet layer per marker: Leaflet's per-layer bookkeeping is what made 5,000 circle
 * markers take 167 ms a frame. Motion between two fixes is interpolated in the page on a
 * throttled frame clock whose period follows the measured cost of a frame; below
 * CLUSTER_BELOW_ZOOM objects are grouped per screen cell (never an officer in emergency).
 */
(function () {
  "use strict";

  var STATUS_COLORS = {
    available: "#2e7d32", busy: "#f59e0b", intervention: "#1565c0",
    emergency: "#d50000", off_duty: "#8a8a8a"
  };
  var CLUSTER_RANK = { available: 1, off_duty: 0, busy: 2, intervention: 3 };
  var LABEL_FONT = "600 12px 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
  var SMALL_FONT = "600 11px 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
  var LABEL_MIN_ZOOM = 14, LABEL_MAX = 150;   // callsigns only when few enough to read
  var TRAIL_MIN_ZOOM = 14, TRAIL_MAX_DRAWN = 1000, TRAIL_POINTS = 150, TRAIL_STEP_M = 3;
  var CLUSTER_BELOW_ZOOM = 15, CELL = 56;
  var MOVE_MS = 1000, TELEPORT_M = 400;
  var STALE_CHECK_MS = 5000;

  function num(v) { var n = Number(v); return (v === null || v === undefined || v === "" || !isFinite(n)) ? null : n; }
  function distanceM(a0, a1, b0, b1) {
    var dy = (b0 - a0) * 111320, dx = (b1 - a1) * 111320 * Math.cos(a0 * Math.PI / 180);
    return Math.sqrt(dx * dx + dy * dy);
  }

  /* Web Mercator at the map's zoom, as Leaflet's EPSG:3857 does it, without allocations. */
  function projector(map) {
    var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
    var origin = map.getPixelOrigin(), pane = map._getMapPanePos();
    var ox = origin.x - pane.x, oy = origin.y - pane.y;
    return function (lat, lon, out) {
      var s = Math.sin(Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI / 180);
      out.x = (lon + 180) / 360 * scale - ox;
      out.y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale - oy;
    };
  }

  /* Pre-drawn markers: one drawImage per object is far cheaper than rasterising its paths
   * (5,000 objects: ~31 ms of paths per frame). Keyed by look; headings in 15-degree steps. */
  var SPRITE = 40, HALF = SPRITE / 2, sprites = new Map();

  function sprite(status, stale, live, heading, flashOff) {
    var hb = heading === null ? -1 : Math.round(((heading % 360) + 360) % 360 / 15) % 24;
    var key = status + "|" + (stale ? 1 : 0) + (live ? 1 : 0) + (flashOff ? 1 : 0) + "|" + hb;
    var c = sprites.get(key);
    if (c) { return c; }
    c = document.createElement("canvas");
    c.width = c.height = SPRITE;
    var ctx = c.getContext("2d"), x = HALF, y = HALF, TAU = Math.PI * 2;
    var color = stale ? "#9e9e9e" : (STATUS_COLORS[status] || "#6d4c8d");
    if (status === "emergency" && !stale) {
      ctx.beginPath(); ctx.arc(x, y, 13, 0, TAU);
      ctx.fillStyle = flashOff ? "rgba(213,0,0,0.10)" : "rgba(213,0,0,0.35)"; ctx.fill();
    }
    if (live) {
      ctx.beginPath(); ctx.arc(x, y, 10.5, 0, TAU);
      ctx.lineWidth = 2.5; ctx.strokeStyle = "#e53935"; ctx.stroke();
    }
    if (hb >= 0) {
      var a = hb * 15 * Math.PI / 180, sx = Math.sin(a), cy = -Math.cos(a);
      ctx.beginPath();
      ctx.moveTo(x + sx * 17, y + cy * 17);
      ctx.lineTo(x + sx * 6 - cy * 6, y + cy * 6 + sx * 6);
      ctx.lineTo(x + sx * 6 + cy * 6, y + cy * 6 - sx * 6);
      ctx.closePath();
      ctx.fillStyle = color; ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#fff"; ctx.stroke();
    }
    ctx.beginPath(); ctx.arc(x, y, 6.5, 0, TAU);
    ctx.fillStyle = flashOff ? "#ffffff" : color; ctx.fill();
    ctx.lineWidth = 2; ctx.strokeStyle = flashOff ? color : "#ffffff"; ctx.stroke();
    if (stale) {  // a dashed ring and a question mark: the last fix is old
      ctx.beginPath(); ctx.arc(x, y, 10, 0, TAU);
      ctx.setLineDash([3, 3]); ctx.lineWidth = 1.5; ctx.strokeStyle = "#424242"; ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = SMALL_FONT; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillStyle = "#212121"; ctx.fillText("?", x, y + 0.5);
    }
    sprites.set(key, c);
    return c;
  }

  function Record(id, layer) {
    this.id = id; this.layer = layer; this.o = {}; this._hl = false;
    this.lat = 0; this.lon = 0; this.fLat = 0; this.fLon = 0; this.t0 = -1e9;
    this.trail = []; this.x = 0; this.y = 0; this.shown = false; this.dLat = 0; this.dLon = 0;
  }
  Record.prototype.fire = function (type) { this.layer.onHit(type || "click", this.id); return this; };
  Record.prototype.getLatLng = function () { var p = this.layer.displayed(this); return L.latLng(p[0], p[1]); };
  Record.prototype.redraw = function () { this.layer.request(); return this; };
  Record.prototype.bringToFront = function () { return this; };

  var Tracks = L.Layer.extend({
    options: { pane: "tracks" },

    initialize: function (onHit) {
      this.items = new Map();
      this.onHit = onHit;
      this.smoothing = true;
      this.staleMs = 60000;
      this.trailMs = 300000;
      this.follow = null;
      this.responders = null;   // {lat, lon, items: [{id, label, suggested}]}
      this.phase = false;
      this.stats = { draws: 0, lastMs: 0, maxMs: 0, drawn: 0, clusters: 0 };
      this._frameMs = 50;
      this._raf = 0; this._last = 0; this._hits = []; this._clusters = [];
    },

    onAdd: function (map) {
      var c = this._canvas = L.DomUtil.create("canvas", "csu-tracks");
      c.style.pointerEvents = "none";
      this.getPane().appendChild(c);
      this._ctx = c.getContext("2d");
      map.on("move resize zoomend viewreset", this.request, this);
      map.on("zoomstart", this._hide, this);
      this._staleTimer = setInterval(this.request.bind(this), STALE_CHECK_MS);
      this.request();
    },

    onRemove: function (map) {
      map.off("move resize zoomend viewreset", this.request, this);
      map.off("zoomstart", this._hide, this);
      clearInterval(this._staleTimer);
      L.DomUtil.remove(this._canvas);
    },

    _hide: function () { this._canvas.style.visibility = "hidden"; },

    /* Upsert one batch: [{id, lat, lon, status, heading, live, callsign, t}]. */
    update: function (items, guard) {
      var now = performance.now(), self = this, animate = this.smoothing && !document.hidden;
      items.forEach(function (o) {
        guard(function (o) {
          var id = String(o.id), lat = num(o.lat), lon = num(o.lon);
          if (lat === null || lon === null) { throw new Error("no position"); }
          var r = self.items.get(id);
          if (!r) {
            r = new Record(id, self);
            r.lat = r.fLat = lat; r.lon = r.fLon = lon;
            self.items.set(id, r);
          } else if (lat !== r.lat || lon !== r.lon) {
            var cur = self.displayed(r, now);
            r.fLat = cur[0]; r.fLon = cur[1];
            r.t0 = animate && distanceM(cur[0], cur[1], lat, lon) < TELEPORT_M ? now : -1e9;
            r.lat = lat; r.lon = lon;
          }
          r.o = o;
          r.recv = Date.now();
          self._addTrail(r, lat, lon);
        }, o);
      });
      this.request();
      return this.items.size;
    },

    remove: function (ids) {
      var self = this;
      ids.forEach(function (id) { self.items.delete(String(id)); });
      this.request();
      return this.items.size;
    },

    _addTrail: function (r, lat, lon) {
      var t = r.trail, now = Date.now(), last = t.length ? t[t.length - 1] : null;
      if (!last || distanceM(last[0], last[1], lat, lon) >= TRAIL_STEP_M) { t.push([lat, lon, now]); }
      var cut = 0;
      while (cut < t.length && (now - t[cut][2] > this.trailMs || t.length - cut > TRAIL_POINTS)) { cut += 1; }
      if (cut) { t.splice(0, cut); }
    },

    displayed: function (r, now) {
      this.place(r, now === undefined ? performance.now() : now);
      return [r.dLat, r.dLon];
    },

    /* Where the object is drawn now (r.dLat, r.dLon), without allocating; true if gliding. */
    place: function (r, now) {
      var f = (now - r.t0) / MOVE_MS;
      if (f >= 1 || f < 0) { r.dLat = r.lat; r.dLon = r.lon; return false; }
      var e = f * (2 - f);
      r.dLat = r.fLat + (r.lat - r.fLat) * e;
      r.dLon = r.fLon + (r.lon - r.fLon) * e;
      return true;
    },

    moving: function (r) { var f = (performance.now() - r.t0) / MOVE_MS; return f >= 0 && f < 1; },

    isStale: function (r, now) {
      var t = num(r.o.t);
      return ((now || Date.now()) - (t === null ? r.recv : t)) > this.staleMs;
    },

    /* Ask for a frame: at most one pending, spaced by the cost of the last ones. */
    request: function () {
      if (this._raf || !this._map) { return; }
      var self = this, wait = Math.max(0, this._frameMs - (performance.now() - this._last));
      this._raf = 1;
      setTimeout(function () {
        requestAnimationFrame(function () { self._raf = 0; self._draw(); });
      }, wait);
    },

    _draw: function () {
      var map = this._map;
      if (!map) { return; }
      var t0 = performance.now(), size = map.getSize(), c = this._canvas, ctx = this._ctx;
      this._last = t0;
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      if (c.width !== size.x || c.height !== size.y) { c.width = size.x; c.height = size.y; }
      c.style.visibility = "";
      ctx.clearRect(0, 0, size.x, size.y);
      var zoom = map.getZoom(), proj = projector(map), p = { x: 0, y: 0 }, self = this;
      var moving = false, shown = [], W = size.x + 20, H = size.y + 20;
      this.items.forEach(function (r) {
        if (self.place(r, t0)) { moving = true; }
        proj(r.dLat, r.dLon, p);
        r.x = p.x; r.y = p.y;
        r.shown = p.x > -20 && p.y > -20 && p.x < W && p.y < H;
        if (r.shown) { shown.push(r); }
      });
      var singles = shown, clusters = [];
      if (zoom < CLUSTER_BELOW_ZOOM && shown.length > 1) {
        var cells = new Map();
        singles = [];
        shown.forEach(function (r) {
          if (r.o.status === "emergency" || r._hl || r.id === self.follow) { singles.push(r); return; }
          var key = Math.floor(r.x / CELL) + ":" + Math.floor(r.y / CELL), cell = cells.get(key);
          if (!cell) { cells.set(key, cell = { n: 0, sx: 0, sy: 0, rank: 0, first: r }); }
          cell.n += 1; cell.sx += r.x; cell.sy += r.y;
          cell.rank = Math.max(cell.rank, CLUSTER_RANK[r.o.status] || 0);
        });
        cells.forEach(function (cell) {
          if (cell.n === 1) { singles.push(cell.first); } else { clusters.push(cell); }
        });
      }
      clusters.forEach(function (cl) {
        cl.x = cl.sx / cl.n; cl.y = cl.sy / cl.n; cl.r = Math.min(24, 11 + Math.log(cl.n) * 2.2);
      });
      // Labels first, drawing after: each label is placed where no marker and no label of a
      // higher priority is (labels.js); what finds no room is not drawn.
      var placer = this._place(ctx, singles, clusters, proj, zoom, size);
      var responders = this.responders ? this._responderLines(proj) : [];
      this._drawResponderLines(ctx, responders);
      if (zoom >= TRAIL_MIN_ZOOM && singles.length <= TRAIL_MAX_DRAWN) { this._drawTrails(ctx, singles, proj); }
      this._drawSingles(ctx, singles);
      this._drawClusters(ctx, clusters);
      this._drawLabels(ctx, placer.labels());
      this.placer = placer;
      this._hits = singles;
      this._clusters = clusters;
      var cost = performance.now() - t0;
      this.stats.draws += 1; this.stats.lastMs = cost; this.stats.maxMs = Math.max(this.stats.maxMs, cost);
      this.stats.drawn = singles.length; this.stats.clusters = clusters.length;
      // Leave the page at least twice the drawing time for everything else.
      this._frameMs = Math.min(250, Math.max(50, cost * 3));
      if (moving && this.smoothing) { this.request(); }
    },

    _drawTrails: function (ctx, rs, proj) {
      var groups = {}, p = { x: 0, y: 0 };
      rs.forEach(function (r) {
        if (r.trail.length < 2) { return; }
        (groups[r.o.status] = groups[r.o.status] || []).push(r);
      });
      ctx.lineWidth = 2.5;
      ctx.lineJoin = "round";
      ctx.globalAlpha = 0.45;
      Object.keys(groups).forEach(function (status) {
        ctx.beginPath();
        groups[status].forEach(function (r) {
          r.trail.forEach(function (pt, i) {
            proj(pt[0], pt[1], p);
            if (i) { ctx.lineTo(p.x, p.y); } else { ctx.moveTo(p.x, p.y); }
          });
          ctx.lineTo(r.x, r.y);
        });
        ctx.strokeStyle = STATUS_COLORS[status] || "#6d4c8d";
        ctx.stroke();
      });
      ctx.globalAlpha = 1;
    },

    _drawSingles: function (ctx, rs) {
      var self = this, now = Date.now(), hl = [], TAU = Math.PI * 2;
      rs.forEach(function (r) { if (r._hl || r.id === self.follow) { hl.push(r); } });
      if (hl.length) {
        ctx.beginPath();
        hl.forEach(function (r) { ctx.moveTo(r.x + 16, r.y); ctx.arc(r.x, r.y, 16, 0, TAU); });
        ctx.fillStyle = "rgba(255, 235, 59, 0.55)"; ctx.fill();
        ctx.lineWidth = 2; ctx.strokeStyle = "#111"; ctx.stroke();
      }
      rs.forEach(function (r) {
        var o = r.o, stale = self.isStale(r, now);
        var img = sprite(o.status, stale, !!o.live, num(o.heading),
                         o.status === "emergency" && !stale && self.phase);
        ctx.drawImage(img, (r.x - HALF + 0.5) | 0, (r.y - HALF + 0.5) | 0);
      });
    },

    _drawClusters: function (ctx, clusters) {
      var colors = ["#8a8a8a", STATUS_COLORS.available, STATUS_COLORS.busy, STATUS_COLORS.intervention];
      ctx.font = SMALL_FONT; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      clusters.forEach(function (cl) {
        ctx.beginPath();
        ctx.arc(cl.x, cl.y, cl.r + 4, 0, Math.PI * 2);
        ctx.fillStyle = "rgba(255,255,255,0.75)"; ctx.fill();
        ctx.beginPath();
        ctx.arc(cl.x, cl.y, cl.r, 0, Math.PI * 2);
        ctx.fillStyle = colors[cl.rank] || colors[1]; ctx.fill();
        ctx.fillStyle = "#fff";
        ctx.fillText(String(cl.n), cl.x, cl.y + 0.5);
      });
    },

    /* Where each label goes this frame: markers block, then responders' labels (the
     * suggested one first), callsigns, and the page's own lowest labels (`lowLabels`). */
    _place: function (ctx, singles, clusters, proj, zoom, size) {
      var Lb = window.CSULabels, placer = new Lb.Placer(size.x, size.y), self = this;
      if (this.obstacles) { this.obstacles(placer); }  // markers of the other layers
      singles.forEach(function (r) { placer.block(new Lb.Box(r.x - 8, r.y - 8, 16, 16, "officer", r.id)); });
      clusters.forEach(function (cl) {
        placer.block(new Lb.Box(cl.x - cl.r - 4, cl.y - cl.r - 4, 2 * cl.r + 8, 2 * cl.r + 8, "cluster"));
      });
      if (this.responders) { this._placeResponders(ctx, proj, placer); }
      if (zoom >= LABEL_MIN_ZOOM && singles.length <= LABEL_MAX) {
        var ordered = singles.filter(function (r) { return r.o.callsign; });
        // the officers who matter most keep their names when space runs out
        ordered.sort(function (a, b) { return self._labelRank(b) - self._labelRank(a); });
        ordered.forEach(function (r) { self._placeCallsign(ctx, r, placer); });
      }
      if (this.lowLabels) { this.lowLabels(placer); }
      return placer;
    },

    _labelRank: function (r) {
      return (r.o.status === "emergency" ? 4 : 0) + (r._hl || r.id === this.follow ? 2 : 0) + (r.o.live ? 1 : 0);
    },

    _placeCallsign: function (ctx, r, placer) {
      var Lb = window.CSULabels, text = r.o.callsign, w = Lb.textWidth(ctx, LABEL_FONT, text) + 4, h = 15;
      var b = placer.place([
        Lb.label(r.x + 16, r.y - 9, w, h, "callsign", text),          // right
        Lb.label(r.x - 16 - w, r.y - 9, w, h, "callsign", text),      // left
        Lb.label(r.x - w / 2, r.y - 18 - h, w, h, "callsign", text),  // above the heading arrow
        Lb.label(r.x - w / 2, r.y + 18, w, h, "callsign", text)       // below
      ]);
      if (b) { b.font = LABEL_FONT; b.color = this.isStale(r) ? "#757575" : "#15202b"; b.halo = 3; }
    },

    /* Along its line, the middle first, then nearer one end or the other, then beside it. */
    _placeResponders: function (ctx, proj, placer) {
      var Lb = window.CSULabels, rsp = this.responders, a = { x: 0, y: 0 }, self = this;
      proj(rsp.lat, rsp.lon, a);
      var STEPS = [0.5, 0.62, 0.38, 0.74, 0.26, 0.84, 0.16];
      rsp.items.forEach(function (it) {
        var r = self.items.get(String(it.id));
        if (!r || !it.label) { return; }
        var font = it.suggested ? LABEL_FONT : SMALL_FONT, h = it.suggested ? 17 : 15;
        var w = Lb.textWidth(ctx, font, it.label) + 6, kind = it.suggested ? "suggested" : "responder";
        var dx = r.x - a.x, dy = r.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
        var nx = -dy / len, ny = dx / len, cands = [];
        [0, h, -h].forEach(function (side) {
          STEPS.forEach(function (t) {
            var cx = a.x + dx * t + nx * side, cy = a.y + dy * t + ny * side;
            cands.push(Lb.label(cx - w / 2, cy - h / 2, w, h, kind, it.label));
          });
        });
        // the suggested officer's label is never dropped for a mere marker: it may cover
        // one (never an alarm, never a label) when nothing else is free
        var b = placer.place(cands) || (it.suggested ? placer.place(cands, { officer: 1, camera: 1, cluster: 1 }) : null);
        if (b) {
          b.font = font; b.color = it.suggested ? "#b71c1c" : "#212121"; b.halo = 4;
        }
      });
    },

    _responderLines: function (proj) {
      var rsp = this.responders, a = { x: 0, y: 0 }, self = this, out = [];
      proj(rsp.lat, rsp.lon, a);
      rsp.items.forEach(function (it) {
        var r = self.items.get(String(it.id));
        if (r) { out.push({ x1: a.x, y1: a.y, x2: r.x, y2: r.y, suggested: !!it.suggested }); }
      });
      return out;
    },

    _drawResponderLines: function (ctx, lines) {
      lines.forEach(function (l) {
        ctx.beginPath(); ctx.moveTo(l.x1, l.y1); ctx.lineTo(l.x2, l.y2);
        ctx.setLineDash(l.suggested ? [] : [6, 5]);
        ctx.lineWidth = l.suggested ? 3 : 2;
        ctx.strokeStyle = l.suggested ? "#d50000" : "rgba(33,33,33,0.7)";
        ctx.stroke();
      });
      ctx.setLineDash([]);
    },

    /* Every canvas label where the placement put it: a white halo, then the text. */
    _drawLabels: function (ctx, boxes) {
      ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
      boxes.forEach(function (b) {
        if (!b.font) { return; }  // placed by another layer (a zone name is a DOM element)
        var x = b.x + b.w / 2, y = b.y + b.h / 2 + 0.5;
        ctx.font = b.font;
        ctx.lineWidth = b.halo; ctx.strokeStyle = "rgba(255,255,255,0.95)";
        ctx.strokeText(b.text, x, y);
        ctx.fillStyle = b.color; ctx.fillText(b.text, x, y);
      });
    },

    /* What is under a container point: a single object, or a cluster to open. */
    hit: function (pt) {
      var best = null, bestD = 12 * 12;
      this._hits.forEach(function (r) {
        var dx = r.x - pt.x, dy = r.y - pt.y, d = dx * dx + dy * dy;
        if (d <= bestD) { best = r; bestD = d; }
      });
      if (best) { return { kind: "officer", id: best.id }; }
      for (var i = 0; i < this._clusters.length; i++) {
        var cl = this._clusters[i], dx = cl.x - pt.x, dy = cl.y - pt.y;
        if (dx * dx + dy * dy <= (cl.r + 4) * (cl.r + 4)) { return { kind: "cluster", x: cl.x, y: cl.y }; }
      }
      return null;
    }
  });

  window.CSUTracks = Tracks;
})();
