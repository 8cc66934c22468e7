// Small DOM helpers, formatting in plain words, and SVG charts drawn here (no library).

/** h('div', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const e = tag.startsWith('svg:') ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'value' && 'value' in e) e.value = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  add(e, children);
  return e;
}

function add(e, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) add(e, c);
    else e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }

/** Words for the API's snake_case values: "no_answer" → "no answer". */
export function words(v) {
  if (v === null || v === undefined || v === '') return '—';
  return String(v).replace(/_/g, ' ');
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

export function seconds(fromIso, toIso) {
  if (!fromIso || !toIso) return '—';
  const s = Math.round((new Date(toIso) - new Date(fromIso)) / 1000);
  return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}

export function badge(v) { return h('span', { class: 'badge ' + (v || '') }, words(v)); }

/** A table; rows: objects; cols: [{title, get(row) → node|text}]; onRow makes rows clickable. */
export function table(cols, rows, onRow, empty) {
  if (!rows.length) return h('p', { class: 'muted' }, empty || 'Nothing to show yet.');
  return h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, cols.map(c => h('th', {}, c.title)))),
    h('tbody', {}, rows.map(r => h('tr', onRow ? { class: 'clickable', onclick: () => onRow(r), tabindex: '0',
      onkeydown: e => { if (e.key === 'Enter') onRow(r); } } : {}, cols.map(c => h('td', {}, c.get(r))))))));
}

/** An error from the API shown where it happened, with each problem on its own line. */
export function errorBox(err) {
  const box = h('div', { class: 'error', role: 'alert' }, h('p', {}, err.message || String(err)));
  if (err.problems && err.problems.length) {
    box.append(h('ul', { class: 'problems' }, err.problems.map(p => h('li', {}, p))));
  }
  return box;
}

export function toast(text) {
  const t = h('div', { class: 'toast', role: 'status' }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 3500);
}

export function bar(fraction) {
  const f = Math.max(0, Math.min(1, fraction || 0));
  const inner = h('span', {});
  inner.style.width = (f * 100).toFixed(1) + '%';
  return h('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': Math.round(f * 100), 'aria-valuemin': 0,
    'aria-valuemax': 100 }, inner);
}

/** Vertical bars for a series (calls per minute). */
export function columns(values, labelEvery, title) {
  const w = 600, ht = 160, pad = 24, max = Math.max(1, ...values);
  const bw = (w - pad) / values.length;
  const svg = h('svg:svg', { class: 'chart', viewBox: `0 0 ${w} ${ht + 18}`, width: '100%', role: 'img',
    'aria-label': title });
  svg.append(h('svg:text', { x: 0, y: 12 }, String(max)));
  svg.append(h('svg:text', { x: 0, y: ht }, '0'));
  values.forEach((v, i) => {
    const bh = (v / max) * (ht - 16);
    svg.append(h('svg:rect', { class: 'b', x: pad + i * bw + 1, y: ht - bh, width: Math.max(1, bw - 2), height: bh },
      h('svg:title', {}, v + ' calls')));
    if (labelEvery && (values.length - 1 - i) % labelEvery === 0) {
      const ago = values.length - 1 - i;
      svg.append(h('svg:text', { x: pad + i * bw + bw / 2, y: ht + 14, 'text-anchor': ago === 0 ? 'end' : 'middle' },
        ago === 0 ? 'now' : '-' + ago + ' min'));
    }
  });
  return svg;
}

/** Horizontal bars: [[label, count]], each bar's share of the first (funnel) or of the largest. */
export function hbars(pairs, title) {
  const max = Math.max(1, ...pairs.map(p => p[1]));
  const rowH = 26, w = 480, labelW = 170;
  const svg = h('svg:svg', { class: 'chart', viewBox: `0 0 ${w} ${pairs.length * rowH + 4}`, width: '100%',
    role: 'img', 'aria-label': title });
  pairs.forEach(([label, n], i) => {
    const y = i * rowH + 4;
    const bw = (n / max) * (w - labelW - 50);
    svg.append(h('svg:text', { x: 0, y: y + 15 }, words(label)));
    svg.append(h('svg:rect', { class: 'b', x: labelW, y, width: Math.max(bw, n > 0 ? 2 : 0), height: rowH - 8 }));
    svg.append(h('svg:text', { x: labelW + bw + 6, y: y + 15 }, String(n)));
  });
  return svg;
}

/** Reads a file chosen in an <input type=file> as text. */
export function readText(file) { return file.text(); }

/** Starts a browser download of a Blob. */
export function download(blobData, name) {
  const url = URL.createObjectURL(blobData);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
