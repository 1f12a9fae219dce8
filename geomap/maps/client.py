"""The page side of geomap maps: its CSS and its JavaScript runtime.

The runtime (``window.geomap``) draws the basemap and builds the event
layers from the payload (:class:`~geomap.maps.layers.EventLayers`), with
their popups, legend and time filter. It only concatenates the payload's
pre-escaped HTML fragments (:mod:`geomap.maps.escape`) and numbers; it
never turns document text into HTML.
"""

from __future__ import annotations


GEOMAP_CSS = """
.gm-pin span{display:block;width:10px;height:10px;border-radius:50%;border:2px solid #fff;
 box-shadow:0 0 2px rgba(0,0,0,.8)}
.gm-pin.gm-near span{background:#fff!important;border-width:3px;border-style:solid;width:8px;height:8px}
.gm-cluster div{width:32px;height:32px;margin:2px;border-radius:50%;opacity:.85;color:#fff;
 text-align:center;line-height:32px;font:bold 12px sans-serif;box-shadow:0 0 3px rgba(0,0,0,.6)}
.gm-popup{font:13px/1.45 sans-serif;max-width:340px}
.gm-popup+.gm-popup{border-top:1px solid #ccc;margin-top:6px;padding-top:6px}
.gm-swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px;vertical-align:middle}
.gm-z1 span{width:14px;height:14px}.gm-z2 span{width:20px;height:20px}.gm-z3 span{width:28px;height:28px}
.gm-sizes{margin:4px 0}.gm-size{display:inline-block;border-radius:50%;background:#777;border:2px solid #fff;
box-shadow:0 0 2px rgba(0,0,0,.8);margin:0 3px 0 8px;vertical-align:middle}
.gm-size1{width:10px;height:10px}.gm-size2{width:16px;height:16px}.gm-size3{width:24px;height:24px}
.gm-who{margin:2px 0;font-weight:bold}.gm-actor{display:block;margin:4px 0;max-width:100%}
.gm-snippet{margin:4px 0;padding:4px 6px;background:#f6f6f6;border-radius:3px}
.gm-snippet[dir=rtl],[lang=ar]{font-family:"Noto Naskh Arabic","Noto Sans Arabic",Tahoma,"DejaVu Sans",sans-serif}
.gm-snippet[dir=rtl]{text-align:right}
.gm-prec,.gm-date,.gm-n{color:#555;font-size:12px}
.gm-legend,.gm-time{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;
 font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.gm-time input{width:220px;display:block}
.gm-time .gm-range{font-weight:bold}
.leaflet-container.gm-offline{background:#dfe9f0}
.gm-popup mark{background:#ffe58a;padding:0 1px;border-radius:2px}
.gm-popup-open .leaflet-tooltip-pane{display:none}
.gm-legend{max-width:240px;box-sizing:border-box}
.gm-legend label{display:block;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.gm-legend input{margin:0 4px 0 0;vertical-align:middle}
.gm-legend .gm-sym{display:inline-block;width:12px;height:12px;margin:0 4px;vertical-align:middle;box-sizing:border-box}
.gm-legend .gm-sym-exact{border-radius:50%;background:#555;border:2px solid #fff;box-shadow:0 0 2px rgba(0,0,0,.8)}
.gm-legend .gm-sym-near{border-radius:50%;border:3px solid #555;background:#fff;outline:1px dashed #555;outline-offset:2px}
.gm-legend .gm-sym-area{background:rgba(85,85,85,.2);border:1.5px dashed #555}
.gm-legend-head{display:flex;justify-content:space-between;align-items:center;gap:8px}
.gm-legend-toggle{border:0;background:#eee;border-radius:3px;cursor:pointer;font:bold 12px sans-serif;padding:0 6px}
.gm-legend.gm-collapsed .gm-legend-body{display:none}
.gm-hist{display:block;margin-top:4px;cursor:crosshair;background:#f4f4f4}
.gm-label{pointer-events:none}
.gm-label .gm-lt{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;text-align:center;
 font:11px/1.15 sans-serif;color:#333;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.gm-l-gov .gm-lt{color:#6b6b6b;font-size:10.5px;letter-spacing:.04em;text-transform:uppercase}
.gm-l-gov .gm-lt span{text-transform:none;letter-spacing:0}
.gm-l-country .gm-lt{color:#8a7f70;font-size:12px;letter-spacing:.12em}
.gm-l-country .gm-lt span{letter-spacing:0}
.gm-l-sea .gm-lt{color:#5d7f99;font-style:italic}
.gm-l-city .gm-lt{transform:translate(-50%,calc(-100% - 3px));color:#111}
.gm-l-city .gm-dot{position:absolute;left:-3px;top:-3px;width:6px;height:6px;border-radius:50%;
 background:#333;border:1px solid #fff;box-sizing:border-box}
"""

# The runtime: builds layers from the payload and filters them by time.
GEOMAP_JS = r"""
(function(){
if (window.geomap) { return; }
var G = window.geomap = {maps: []};
// Columns are arrays, or one value when constant.
function at(a, i){ return (a !== null && typeof a === 'object') ? a[i] : a; }
function f(t, i){ return (i === null || i === undefined || i < 0) ? '' : t[i]; }
function snip(T, i){
  return (i === null || i === undefined || i < 0 || T.snip[i] === '') ? '' :
    T.snipOpen[T.snipDir[i]] + T.snip[i].replace('\u0001', '<mark>').replace('\u0002', '</mark>') + '</div>';
}
function popupOf(T, P, i){
  return '<div class="gm-popup">' + f(T.type, at(P.t, i)) + f(T.date, at(P.d, i)) + f(T.place, at(P.pl, i)) +
    (T.who ? f(T.who, at(P.w, i)) : '') + snip(T, at(P.s, i)) + f(T.src, at(P.src, i)) + f(T.rep, at(P.n, i)) + '</div>';
}
function tipOf(T, P, i){
  return f(T.typeTip, at(P.t, i)) + ' · ' + f(T.placeTip, at(P.pl, i)) + ' · ' + f(T.dateTip, at(P.d, i));
}
function dayStr(d){ return new Date(d * 864e5).toISOString().slice(0, 10); }
G.dayStr = dayStr;
// The vector basemap: countries, governorates, rivers, and labels that hide
// rather than overlap (by rank) and show from their zoom on.
G.basemap = function(group, map, B){
  if (!map.getPane('gmBase')) { map.createPane('gmBase').style.zIndex = 250; }
  if (!map.getPane('gmLines')) {  // borders and rivers stay readable over choropleth and area fills
    var ln = map.createPane('gmLines'); ln.style.zIndex = 405; ln.style.pointerEvents = 'none';
  }
  if (!map.getPane('gmLabels')) {
    var lp = map.createPane('gmLabels'); lp.style.zIndex = 450; lp.style.pointerEvents = 'none';
  }
  var fill = B.offline ? 1 : 0;
  group.addLayer(L.geoJSON(B.countries, {pane: 'gmBase', interactive: false, style: function(f){
    var sy = f.properties.iso2 === 'SY';
    return {color: sy ? '#5a5a5a' : '#8f8a80', weight: sy ? 1.6 : 1.1, fillColor: sy ? '#fbfaf6' : '#efede6',
            fillOpacity: fill};
  }}));
  if (B.gov) {
    group.addLayer(L.geoJSON(B.gov, {pane: 'gmLines', interactive: false,
      style: {color: '#9b9b9b', weight: 0.9, dashArray: '4 3', fill: false}}));
  }
  B.rivers.forEach(function(r){
    group.addLayer(L.polyline(r.line, {pane: 'gmLines', interactive: false, color: '#7aaed6', weight: 2,
                                       opacity: 0.9}));
  });
  var labs = B.labels.map(function(l){
    var m = L.marker(l.ll, {pane: 'gmLabels', interactive: false, keyboard: false,
      icon: L.divIcon({className: 'gm-label gm-l-' + l.k, iconSize: null,
                       html: '<div class="gm-lt">' + l.html + '</div>' + (l.k === 'city' ? '<span class="gm-dot"></span>' : '')})});
    m._gm = l;
    group.addLayer(m);
    return m;
  });
  // Reads every box first, then decides, then writes: no layout between two reads.
  function declutter(){
    pending = false;
    if (!map.hasLayer(group)) { return; }
    var z = map.getZoom(), placed = [], box = map.getContainer().getBoundingClientRect();
    // the controls (legend, timeline, layer control...) count as placed: no name hides under them
    map.getContainer().querySelectorAll('.leaflet-control').forEach(function(c){
      var q = c.getBoundingClientRect();
      if (q.width && q.height) { placed.push({l: q.left, t: q.top, r: q.right, b: q.bottom}); }
    });
    var seen = labs.map(function(m){
      var el = m._icon;
      return (el && z >= m._gm.z) ? el.firstChild.getBoundingClientRect() : null;
    });
    var moves = [];
    labs.forEach(function(m, k){
      var el = m._icon, t = seen[k];
      if (!el) { return; }
      var show = false, tx = el.firstChild;
      if (t) {
        // the label's box where it is anchored, then a few nudges (names of areas only)
        var dx0 = tx._dx || 0, dy0 = tx._dy || 0, w = t.right - t.left, h = t.bottom - t.top;
        var cand = m._gm.k === 'city' ? [[0, 0]] :
          [[0, 0], [0, -0.7 * h], [0, 0.7 * h], [-0.45 * w, 0], [0.45 * w, 0], [0, -1.3 * h], [0, 1.3 * h]];
        for (var c = 0; c < cand.length && !show; c++) {
          var r = {l: t.left - dx0 + cand[c][0] - 4, t: t.top - dy0 + cand[c][1] - 2};
          r.r = r.l + w + 8; r.b = r.t + h + 4;
          // a name cut by the window's edge is not shown
          var free = r.l >= box.left && r.r <= box.right && r.t >= box.top && r.b <= box.bottom;
          for (var i = 0; i < placed.length && free; i++) {
            var p = placed[i];
            if (r.l < p.r && r.r > p.l && r.t < p.b && r.b > p.t) { free = false; }
          }
          if (free) {
            show = true; placed.push(r);
            if (cand[c][0] !== dx0 || cand[c][1] !== dy0) { moves.push([tx, cand[c][0], cand[c][1]]); }
          }
        }
      }
      moves.push([el, show]);
    });
    moves.forEach(function(mv){
      if (mv.length === 3) {
        mv[0]._dx = mv[1]; mv[0]._dy = mv[2];
        mv[0].style.left = mv[1] + 'px'; mv[0].style.top = mv[2] + 'px';
      } else {
        mv[0].style.visibility = mv[1] ? '' : 'hidden';
        mv[0].classList.toggle('gm-hidden', !mv[1]);
      }
    });
  }
  var pending = false;
  function later(){ if (!pending) { pending = true; setTimeout(declutter, 0); } }
  map.on('zoomend moveend viewreset resize', later);
  group.on('add', later);
  map.whenReady(later);
  group.declutter = declutter;
  return group;
};
G.build = function(map, groups, D){
  var T = D.T, O = D.opts;
  var S = {from: O.dayMin, to: O.dayMax, full: true, layers: [], map: map};
  // Fit the events (and Syria) at once, without animation, before the layers are drawn
  // (drawing them twice costs much at 100k events), left of the column of controls on
  // the right (legend, timeline; 250 px guessed, checked once they exist) on wide windows.
  function fit(right){
    S.fitRight = right;
    map.fitBounds(O.bounds, {paddingTopLeft: [24, 24], paddingBottomRight: [24 + right, 24], maxZoom: 11,
                             animate: false});
  }
  if (O.bounds) { fit(map.getSize().x >= 700 ? 250 : 0); }
  // a tooltip never shows over an open popup
  map.on('popupopen', function(){ L.DomUtil.addClass(map.getContainer(), 'gm-popup-open'); });
  map.on('popupclose', function(){ L.DomUtil.removeClass(map.getContainer(), 'gm-popup-open'); });
  function inWin(day){ return (day === null) ? S.full : (day >= S.from && day <= S.to); }
  S.actor = null;  // the legend's actor filter: null = every actor, else a code into T.actors
  function byActor(a){ return S.actor === null || a === S.actor; }
  D.layers.forEach(function(Ly, k){
    var fg = groups[k], ly = {fg: fg, items: [], areas: [], bins: [], cl: null};
    var P = Ly.p, n = P.len;
    var iconE = L.divIcon({className: 'gm-pin gm-exact', html: Ly.iconExact, iconSize: [14, 14],
                           iconAnchor: [7, 7], popupAnchor: [0, -6], tooltipAnchor: [7, 0]});
    var iconN = L.divIcon({className: 'gm-pin gm-near', html: Ly.iconNear, iconSize: [14, 14],
                           iconAnchor: [7, 7], popupAnchor: [0, -6], tooltipAnchor: [7, 0]});
    var sizedIcons = {};
    function sized(base, z){
      var key = base.options.className + z, s = 14 + 8 * z;
      return sizedIcons[key] || (sizedIcons[key] = L.divIcon({className: base.options.className + ' gm-z' + z,
        html: base.options.html, iconSize: [s, s], iconAnchor: [s / 2, s / 2], popupAnchor: [0, -s / 2],
        tooltipAnchor: [s / 2, 0]}));
    }
    // Markers live in one group per layer (a cluster group past the threshold);
    // popups and tooltips are bound once on that group and built on demand.
    // The cluster group is filled before it joins the map, in one synchronous
    // pass (like FastMarkerCluster); later time-filter updates load in chunks.
    if (Ly.cluster) {
      ly.pts = ly.cl = L.markerClusterGroup({chunkedLoading: false, maxClusterRadius: O.clusterRadius,
        iconCreateFunction: function(c){
          return L.divIcon({html: Ly.clusterHtml.replace('{n}', String(c.getChildCount() | 0)),
                            className: 'marker-cluster gm-cluster', iconSize: L.point(36, 36)});
        }});
    } else {
      ly.pts = L.featureGroup();
      fg.addLayer(ly.pts);
    }
    ly.pts.bindPopup(function(m){ return popupOf(T, P, m._gmi); }, {maxWidth: 360});
    ly.pts.bindTooltip(function(m){ return tipOf(T, P, m._gmi); }, {direction: 'top'});
    if (ly.cl) {  // uncertainty circles of clustered markers: drawn while their popup is open
      ly.cl.on('popupopen', function(e){
        var m = e.popup._source, r = m && at(P.rad, m._gmi);
        if (r > 0) {
          m._gmc = L.circle(m.getLatLng(), {radius: r, color: Ly.color, weight: 1, dashArray: '4 4',
                            fillColor: Ly.color, fillOpacity: 0.08, interactive: false}).addTo(map);
        }
      });
      ly.cl.on('popupclose', function(e){
        var m = e.popup._source;
        if (m && m._gmc) { map.removeLayer(m._gmc); m._gmc = null; }
      });
    }
    for (var i = 0; i < n; i++) {
      var ll = [at(P.lat, i), at(P.lon, i)], r = at(P.rad, i);
      var z = P.fz !== undefined ? at(P.fz, i) : 0;  // sized by fatalities
      var m = L.marker(ll, {icon: z ? sized(r > 0 ? iconN : iconE, z) : (r > 0 ? iconN : iconE)});
      m._gmi = i;
      var c = (r > 0 && !ly.cl) ? L.circle(ll, {radius: r, color: Ly.color, weight: 1, dashArray: '4 4',
                                               fillColor: Ly.color, fillOpacity: 0.08, interactive: false}) : null;
      ly.items.push({m: m, c: c, day: at(P.day, i), a: P.a1 !== undefined ? at(P.a1, i) : null, on: false});
    }
    (Ly.a || []).forEach(function(A){
      var gl = L.geoJSON(D.G[A.g], {style: {color: Ly.color, weight: 1.5, dashArray: '6 4',
                                           fillColor: Ly.color, fillOpacity: A.fill}});
      var area = {layer: gl, ev: A.ev, vis: [], on: false};
      gl.bindPopup(function(){
        var h = '', k2 = area.vis.length, lim = Math.min(k2, 20);
        for (var j = 0; j < lim; j++) { h += popupOf(T, A.ev, area.vis[j]); }
        if (k2 > lim) { h += '<div class="gm-n">+' + (k2 - lim) + '</div>'; }
        return h;
      }, {maxWidth: 380, maxHeight: 320});
      gl.bindTooltip(function(){
        var k2 = area.vis.length;
        return k2 ? tipOf(T, A.ev, area.vis[0]) + (k2 > 1 ? ' (+' + (k2 - 1) + ')' : '') : '';
      }, {sticky: true});
      ly.areas.push(area);
    });
    if (Ly.h) {
      var H = Ly.h, kx = H.k, r = H.r;
      H.c.forEach(function(b){
        var pts = [];
        for (var v = 0; v < 6; v++) {
          var a = Math.PI / 180 * (60 * v - 30);
          pts.push([b[0] + r * Math.sin(a), b[1] + r * Math.cos(a) / kx]);
        }
        var pg = L.polygon(pts, {color: Ly.color, weight: 0.5, fillColor: Ly.color, fillOpacity: 0.3});
        var bin = {layer: pg, pc: b[2], count: 0, on: false};
        pg.bindTooltip(function(){ return Ly.labelTip + ': ' + bin.count; }, {sticky: true});
        ly.bins.push(bin);
      });
      ly.binMax = 1;
    }
    S.layers.push(ly);
  });
  function show(fg, layer, on){ if (on) { fg.addLayer(layer); } else { fg.removeLayer(layer); } }
  S.apply = function(){
    S.full = (S.from <= O.dayMin && S.to >= O.dayMax);
    var total = 0;
    S.layers.forEach(function(ly){
      if (ly.cl) {
        var vis = [];
        ly.items.forEach(function(it){ if (inWin(it.day) && byActor(it.a)) { vis.push(it.m); } });
        ly.cl.clearLayers(); ly.cl.addLayers(vis); total += vis.length;
      } else {
        ly.items.forEach(function(it){
          var v = inWin(it.day) && byActor(it.a);
          if (v) { total++; }
          if (v !== it.on) { show(ly.pts, it.m, v); if (it.c) { show(ly.fg, it.c, v); } it.on = v; }
        });
      }
      ly.areas.forEach(function(a){
        a.vis = [];
        for (var j = 0; j < a.ev.len; j++) {
          if (inWin(at(a.ev.day, j)) && byActor(a.ev.a1 !== undefined ? at(a.ev.a1, j) : null)) { a.vis.push(j); }
        }
        var v = a.vis.length > 0;
        total += a.vis.length;
        if (v !== a.on) { show(ly.fg, a.layer, v); a.on = v; }
      });
      if (ly.bins.length) {
        var mx = 1;
        ly.bins.forEach(function(b){
          var c = 0;
          for (var j = 0; j < b.pc.length; j += 2) {
            var d = b.pc[j];
            if ((d === null) ? S.full : (d >= S.from && d <= S.to)) { c += b.pc[j + 1]; }
          }
          b.count = c; if (c > mx) { mx = c; }
        });
        ly.bins.forEach(function(b){
          var v = b.count > 0;
          total += b.count;
          if (v) { b.layer.setStyle({fillOpacity: 0.15 + 0.6 * Math.log(1 + b.count) / Math.log(1 + mx)}); }
          if (v !== b.on) { show(ly.fg, b.layer, v); b.on = v; }
        });
      }
    });
    if (O.heat) {
      var H = O.heat, hl = S.heat || (S.heat = window[H.name]);
      if (hl) {
        var pts = [];
        for (var h = 0; h < H.len; h++) {
          if (inWin(at(H.day, h))) { pts.push([at(H.lat, h), at(H.lon, h), at(H.w, h)]); }
        }
        hl.setLatLngs(pts);
      }
    }
    if (O.choro) {
      var C = O.choro, gj = S.choro || (S.choro = window[C.name]);
      if (gj) {
        var cnt = [];
        for (var q = 0; q < C.n; q++) { cnt.push(0); }
        for (var c = 0; c < C.pairs.length; c += 3) {
          if (inWin(C.pairs[c + 1])) { cnt[C.pairs[c]] += C.pairs[c + 2]; }
        }
        gj.eachLayer(function(l){
          var pr = l.feature.properties, k = cnt[pr.i] || 0, cls = 0;
          while (k > 0 && cls < C.edges.length && k > C.edges[cls]) { cls++; }
          pr.count = k;
          l.setStyle({fillColor: C.colors[Math.min(k > 0 ? cls + 1 : 0, C.colors.length - 1)]});
        });
      }
    }
    S.visible = total;
    if (S.onApply) { S.onApply(); }
    return total;
  };
  S.setRange = function(a, b){ S.from = a; S.to = b; return S.apply(); };
  S.layers.forEach(function(ly){
    if (ly.cl) { ly.fg.addLayer(ly.cl); ly.cl.options.chunkedLoading = true; }
  });
  // Open the popup (or tooltip) of point k of layer j, as a click (hover) would.
  // A clustered marker is first uncovered (zoomToShowLayer).
  S.openPoint = function(j, k, tooltip){
    var ly = S.layers[j], m = ly.items[k].m;
    var go = function(){ m.fire(tooltip ? 'mouseover' : 'click', {latlng: m.getLatLng()}, true); };
    if (!(ly.cl && !m._map)) { go(); return; }
    // markercluster's zoomToShowLayer fails while the map or the clusters are
    // still settling (no view yet, a zoom animation running): wait and retry
    var tries = 0;
    var show = function(){
      var ready = map._loaded && !map._animatingZoom && m.__parent && !ly.cl._inZoomAnimation;
      if (ready) {
        try { ly.cl.zoomToShowLayer(m, go); return; } catch (e) { if (tries > 40) { throw e; } }
      }
      tries += 1;
      if (tries <= 60) { setTimeout(show, 50); }
    };
    map.whenReady(show);
  };
  S.apply();
  if (O.legend) {
    var lg = L.control({position: 'topright'});
    lg.onAdd = function(){
      var div = L.DomUtil.create('div', 'gm-legend');
      div.innerHTML = O.legend;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var boxes = div.querySelectorAll('input[data-gm-layer]');
      for (var b = 0; b < boxes.length; b++) {
        boxes[b].addEventListener('change', function(e){
          var fg = groups[+e.target.getAttribute('data-gm-layer')];
          if (e.target.checked) { map.addLayer(fg); } else { map.removeLayer(fg); }
        });
      }
      if (T.actors) {  // filter by actor1
        var sel = document.createElement('select'), body = div.querySelector('.gm-legend-body');
        sel.className = 'gm-actor';
        sel.innerHTML = '<option value="">All actors · كل الأطراف</option>' + T.actors.map(function(a, k){
          return '<option value="' + k + '">' + a + '</option>'; }).join('');
        sel.addEventListener('change', function(){ S.actor = sel.value === '' ? null : +sel.value; S.apply(); });
        body.insertBefore(sel, body.firstChild.nextSibling);
      }
      var tg = div.querySelector('.gm-legend-toggle');
      tg.addEventListener('click', function(){
        var c = L.DomUtil.hasClass(div, 'gm-collapsed');
        if (c) { L.DomUtil.removeClass(div, 'gm-collapsed'); } else { L.DomUtil.addClass(div, 'gm-collapsed'); }
        tg.textContent = c ? '−' : '+';
        tg.setAttribute('aria-expanded', String(c));
      });
      if (map.getSize().x < 600) { L.DomUtil.addClass(div, 'gm-collapsed'); tg.textContent = '+';
                                   tg.setAttribute('aria-expanded', 'false'); }
      return div;
    };
    lg.addTo(map);
  }
  if (O.time) {
    var ctl = L.control({position: 'bottomright'});
    ctl.onAdd = function(){
      var div = L.DomUtil.create('div', 'gm-time');
      div.innerHTML = O.timeHtml;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var ins = div.querySelectorAll('input'), lab = div.querySelector('.gm-range');
      var cnt = div.querySelector('.gm-count'), pending = false;
      for (var q = 0; q < 2; q++) { ins[q].min = O.dayMin; ins[q].max = O.dayMax; }
      ins[0].value = O.dayMin; ins[1].value = O.dayMax;
      function upd(){
        var a = +ins[0].value, b = +ins[1].value;
        if (a > b) { var t = a; a = b; b = t; }
        S.from = a; S.to = b;
        lab.textContent = dayStr(a) + ' → ' + dayStr(b);
        if (!pending) {
          pending = true;
          setTimeout(function(){ pending = false; cnt.textContent = String(S.apply()); }, 16);
        }
      }
      ins[0].addEventListener('input', upd); ins[1].addEventListener('input', upd);
      var svg = div.querySelector('.gm-hist'), Hs = O.hist;
      if (svg && Hs) {  // events per bin (a day, week or month: Hs.edges), stacked by layer
        var W = 220, Ht = 44, bw = W / Hs.n, mx = 1, tot = [], E = Hs.edges;
        var un = div.querySelector('.gm-hist-unit');
        if (un) { un.textContent = 'bars: events ' + Hs.unitText; }
        for (var i2 = 0; i2 < Hs.n; i2++) {
          var t2 = 0;
          for (var l2 = 0; l2 < Hs.c.length; l2++) { t2 += Hs.c[l2][i2] || 0; }
          tot.push(t2); if (t2 > mx) { mx = t2; }
        }
        var NS = 'http://www.w3.org/2000/svg', bars = [];
        for (var i3 = 0; i3 < Hs.n; i3++) {
          var y = Ht, g = document.createElementNS(NS, 'g');
          for (var l3 = 0; l3 < Hs.c.length; l3++) {
            var v = Hs.c[l3][i3] || 0;
            if (!v) { continue; }
            var hgt = v / mx * (Ht - 2);
            var rc = document.createElementNS(NS, 'rect');
            rc.setAttribute('x', (i3 * bw).toFixed(2)); rc.setAttribute('width', Math.max(bw - 0.5, 0.5).toFixed(2));
            rc.setAttribute('y', (y - hgt).toFixed(2)); rc.setAttribute('height', hgt.toFixed(2));
            rc.setAttribute('fill', D.layers[l3].color);
            g.appendChild(rc); y -= hgt;
          }
          svg.appendChild(g); bars.push(g);
        }
        var shade = function(){
          for (var i4 = 0; i4 < bars.length; i4++) {
            var d0 = E[i4], d1 = E[i4 + 1] - 1;
            bars[i4].setAttribute('opacity', (d1 >= S.from && d0 <= S.to) ? '1' : '0.25');
          }
        };
        S.onApply = shade; shade();
        var dayAt = function(ev){
          var r = svg.getBoundingClientRect(), x = Math.min(Math.max(ev.clientX - r.left, 0), r.width - 0.01);
          return Math.floor(x / r.width * Hs.n);  // the bin under the pointer
        };
        var a0 = null;
        var brush = function(ev, end){
          var d = dayAt(ev), lo = Math.min(a0, d), hi = Math.max(a0, d);
          ins[0].value = Math.max(E[lo], O.dayMin); ins[1].value = Math.min(E[hi + 1] - 1, O.dayMax); upd();
          if (end) { a0 = null; }
        };
        svg.addEventListener('mousedown', function(ev){ a0 = dayAt(ev); brush(ev); ev.preventDefault(); });
        svg.addEventListener('mousemove', function(ev){ if (a0 !== null) { brush(ev); } });
        window.addEventListener('mouseup', function(ev){ if (a0 !== null) { brush(ev, true); } });
        svg.addEventListener('dblclick', function(){ ins[0].value = O.dayMin; ins[1].value = O.dayMax; upd(); });
      }
      lab.textContent = dayStr(O.dayMin) + ' → ' + dayStr(O.dayMax);
      cnt.textContent = String(S.visible);
      return div;
    };
    ctl.addTo(map);
  }
  // Refit when the column of controls turned out wider or narrower than guessed.
  if (O.bounds && map.getSize().x >= 700) {
    var right = 0;
    map.getContainer().querySelectorAll('.leaflet-right .gm-legend, .leaflet-right .gm-time').forEach(function(el){
      right = Math.max(right, el.offsetWidth + 10);
    });
    if (Math.abs(right - S.fitRight) > 30) { fit(right); }
  }
  G.maps.push(S);
  return S;
};
})();
"""
