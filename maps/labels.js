/* CSU Console map: labels that avoid each other (plain JS, no build step).
 *
 * One placement pass per frame of the moving-objects layer, in the view's pixels. What is
 * placed first wins: alarm markers (and the other markers, as obstacles), then the label of
 * the suggested responder, the other responders' labels, officer callsigns, and last the
 * names of sectors and zones. A label tries a few positions around its anchor and is
 * hidden when none is free: a label drawn over another one is read as neither.
 */
(function () {
  "use strict";

  function Box(x, y, w, h, kind, text) {
    this.x = x; this.y = y; this.w = w; this.h = h; this.kind = kind; this.text = text || "";
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  /* Boxes taken so far, bucketed by screen cell (thousands of officers are obstacles:
   * a candidate is checked against its cells' boxes only); `skip` names obstacle kinds a
   * last-resort placement may cover. */
  var CELL = 64;
  function Placer(width, height) {
    this.taken = []; this.cells = new Map(); this.hidden = {};
    this.width = width || Infinity; this.height = height || Infinity;  // the view, in px
  }

  Placer.prototype.inside = function (b) {
    return b.x >= 0 && b.y >= 0 && b.x + b.w <= this.width && b.y + b.h <= this.height;
  };

  Placer.prototype._each = function (box, fn) {
    var x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.w) / CELL);
    var y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.h) / CELL);
    for (var cx = x0; cx <= x1; cx++) {
      for (var cy = y0; cy <= y1; cy++) {
        if (fn(cx * 65536 + cy) === false) { return false; }
      }
    }
    return true;
  };

  Placer.prototype.block = function (box) {
    var cells = this.cells;
    this.taken.push(box);
    this._each(box, function (key) {
      var list = cells.get(key);
      if (list) { list.push(box); } else { cells.set(key, [box]); }
    });
  };

  Placer.prototype.free = function (box, skip) {
    var cells = this.cells;
    return this._each(box, function (key) {
      var list = cells.get(key);
      if (!list) { return true; }
      for (var i = 0; i < list.length; i++) {
        if ((!skip || !skip[list[i].kind]) && overlaps(box, list[i])) { return false; }
      }
      return true;
    });
  };

  /* The first free candidate wholly in the view, else the first free one (cut by the
   * view's edge), taken; null (and counted as hidden) when none is free. */
  Placer.prototype.place = function (candidates, skip) {
    var i, c;
    for (i = 0; i < candidates.length; i++) {
      c = candidates[i];
      if (this.inside(c) && this.free(c, skip)) { this.block(c); return c; }
    }
    for (i = 0; i < candidates.length; i++) {
      c = candidates[i];
      if (!this.inside(c) && this.free(c, skip)) { this.block(c); return c; }
    }
    var kind = candidates.length ? candidates[0].kind : "?";
    this.hidden[kind] = (this.hidden[kind] || 0) + 1;
    return null;
  };

  /* The labels placed (not the obstacles), for the page's readback. */
  Placer.prototype.labels = function () {
    return this.taken.filter(function (b) { return b.label; });
  };

  var widths = new Map();
  /* Text width in px for a canvas font, cached: callsigns and labels repeat every frame. */
  function textWidth(ctx, font, text) {
    var key = font + "|" + text, w = widths.get(key);
    if (w === undefined) {
      ctx.save(); ctx.font = font; w = ctx.measureText(text).width; ctx.restore();
      if (widths.size > 5000) { widths.clear(); }
      widths.set(key, w);
    }
    return w;
  }

  function label(x, y, w, h, kind, text) {
    var b = new Box(Math.round(x), Math.round(y), Math.ceil(w), h, kind, text);
    b.label = true;
    return b;
  }

  window.CSULabels = { Box: Box, Placer: Placer, overlaps: overlaps, textWidth: textWidth, label: label };
})();
