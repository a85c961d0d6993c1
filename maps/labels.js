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

  /* Boxes taken so far; `skip` names obstacle kinds a last-resort placement may cover. */
  function Placer() { this.taken = []; this.hidden = {}; }

  Placer.prototype.block = function (box) { this.taken.push(box); };

  Placer.prototype.free = function (box, skip) {
    for (var i = 0; i < this.taken.length; i++) {
      var t = this.taken[i];
      if (skip && skip[t.kind]) { continue; }
      if (overlaps(box, t)) { return false; }
    }
    return true;
  };

  /* The first free candidate, taken; null (and counted as hidden) when none is free. */
  Placer.prototype.place = function (candidates, skip) {
    for (var i = 0; i < candidates.length; i++) {
      if (this.free(candidates[i], skip)) { this.taken.push(candidates[i]); return candidates[i]; }
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
