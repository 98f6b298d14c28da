// Pictures of flows: a layered drawing of holders (boxes) and transfers
// (arrows), each arrow coloured by the protection of the country the data
// goes to. The SVG uses presentation attributes only (no CSS), so that the
// file downloaded renders the same anywhere.

const SVG = 'http://www.w3.org/2000/svg';

// PROTECTION names the colour classes of a hop. Whether a hop is adequately
// protected is the hub's answer (Holding.adequate, or the dataFlows filter
// adequate:), never decided here.
export const PROTECTION = {
  eea: { label: 'Inside the EEA', color: '#1a7f37' },
  adequate: { label: 'Adequacy decision in force', color: '#0a58ca' },
  third: { label: 'Third country, no adequacy (SCC, BCR, derogation…)', color: '#bc4c00' },
  none: { label: 'No transfer mechanism', color: '#a40e26' },
  unknown: { label: 'Not assessed', color: '#6e7781' },
};

// protection classes one hop: its mechanism, its country and whether the
// hub found the importer adequately protected there (true, false or
// undefined when not known).
export function protection(step, adequate) {
  if (step.mechanism === 'NONE') return 'none';
  if (step.country && step.country.eea) return 'eea';
  if (adequate === true) return 'adequate';
  if (adequate === false) return 'third';
  return 'unknown';
}

// worse answers the more worrying of two classes.
const ORDER = ['eea', 'adequate', 'unknown', 'third', 'none'];
export function worse(a, b) {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

// legend lists the colours, as HTML.
export function legend() {
  const div = document.createElement('div');
  div.className = 'legend';
  div.setAttribute('aria-label', 'Colours of the arrows');
  for (const [k, v] of Object.entries(PROTECTION)) {
    const s = document.createElement('span');
    s.className = k;
    s.textContent = v.label;
    div.append(s);
  }
  return div;
}

function svgEl(tag, attrs, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

function clip(s, n) {
  s = String(s);
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

// layers places nodes in columns: a node's column is one more than the
// furthest of its predecessors (cycles are cut where they close).
function layers(nodes, edges) {
  const preds = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (preds.has(e.to) && preds.has(e.from) && e.from !== e.to) preds.get(e.to).push(e.from);
  const col = new Map();
  const visiting = new Set();
  const depth = (id) => {
    if (col.has(id)) return col.get(id);
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const p of preds.get(id)) d = Math.max(d, depth(p) + 1);
    visiting.delete(id);
    col.set(id, d);
    return d;
  };
  for (const n of nodes) depth(n.id);
  return col;
}

// draw returns an SVG picture of a graph: nodes [{id, label, sub, kind,
// focus}] and edges [{from, to, cls, label, title}]. opts.title names it.
export function draw(nodes, edges, opts = {}) {
  const W = 200, H = 46, GX = 110, GY = 18, PAD = 20, TOP = opts.title ? 40 : 16;
  const col = layers(nodes, edges);
  const columns = [];
  for (const n of nodes) {
    const c = col.get(n.id) || 0;
    (columns[c] = columns[c] || []).push(n);
  }
  // Order each column by the mean row of its predecessors: fewer crossings.
  const row = new Map();
  columns.forEach((list, c) => {
    if (c > 0) {
      const mean = (n) => {
        const ps = edges.filter((e) => e.to === n.id && row.has(e.from)).map((e) => row.get(e.from));
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 1e9;
      };
      list.sort((a, b) => mean(a) - mean(b) || a.label.localeCompare(b.label));
    }
    list.forEach((n, i) => row.set(n.id, i));
  });
  const rows = Math.max(1, ...Array.from(columns, (l) => (l ? l.length : 0)));
  const width = PAD * 2 + columns.length * W + (columns.length - 1) * GX;
  const height = TOP + PAD + rows * (H + GY);
  const pos = new Map();
  columns.forEach((list, c) => list.forEach((n, i) => pos.set(n.id, { x: PAD + c * (W + GX), y: TOP + i * (H + GY) })));

  const svg = svgEl('svg', {
    width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'font-family': 'Helvetica, Arial, sans-serif', 'font-size': 12,
  });
  svg.append(svgEl('title', {}, opts.title || 'Data flows'));
  const defs = svgEl('defs');
  for (const [k, v] of Object.entries(PROTECTION)) {
    const m = svgEl('marker', { id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: v.color }));
    defs.append(m);
  }
  svg.append(defs);
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  if (opts.title) svg.append(svgEl('text', { x: PAD, y: 24, 'font-size': 15, 'font-weight': 'bold', fill: '#1f2328' }, opts.title));

  const labels = edges.length <= (opts.maxLabels ?? 80);
  const gEdges = svgEl('g', { fill: 'none' });
  const gLabels = svgEl('g');
  for (const e of edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    const color = PROTECTION[e.cls] ? PROTECTION[e.cls].color : PROTECTION.unknown.color;
    let d;
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    if (b.x > a.x) {
      const mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    } else {
      // A flow back to an earlier column: a loop under the boxes.
      const low = Math.max(a.y, b.y) + H + GY / 2;
      d = `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${low + 20} ${b.x + W / 2},${low + 20} ${b.x + W / 2},${b.y + H}`;
    }
    const path = svgEl('path', {
      d, stroke: color, 'stroke-width': e.cls === 'none' ? 3 : 2, 'marker-end': `url(#arrow-${e.cls || 'unknown'})`,
      'data-cls': e.cls || 'unknown', class: 'hop',
    });
    if (e.title) path.append(svgEl('title', {}, e.title));
    gEdges.append(path);
    if (labels && e.label && b.x > a.x) {
      // Beside the arrowhead: a box has few arrows in, often many out.
      gLabels.append(svgEl('text', { x: x2 - 10, y: y2 - 5, 'text-anchor': 'end', fill: color, 'font-size': 10 }, clip(e.label, 22)));
    }
  }
  svg.append(gEdges);
  const gNodes = svgEl('g');
  for (const n of nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const g = svgEl('g', { class: 'holder', 'data-id': n.id });
    const org = n.kind === 'Organization' || n.kind === 'Country';
    g.append(svgEl('rect', {
      x: p.x, y: p.y, width: W, height: H, rx: 8,
      fill: n.focus ? '#fff8c5' : org ? '#e8f0fe' : '#f6f8fa', stroke: n.focus ? '#7d4e00' : '#57606a', 'stroke-width': n.focus ? 2 : 1,
    }));
    g.append(svgEl('text', { x: p.x + 8, y: p.y + 18, fill: '#1f2328', 'font-weight': 'bold' }, clip(n.label, 30)));
    if (n.sub) g.append(svgEl('text', { x: p.x + 8, y: p.y + 35, fill: '#57606a', 'font-size': 11 }, clip(n.sub, 34)));
    g.append(svgEl('title', {}, n.label + (n.sub ? ' — ' + n.sub : '')));
    gNodes.append(g);
  }
  svg.append(gLabels);
  svg.append(gNodes);
  return svg;
}

// serialize returns the SVG file of a picture.
export function serialize(svg) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
}
