// The grid: a row per node, a column per DaemonSet, a cell per (node, DaemonSet) showing its pod.
// Changes only mark what they touch (a row, a column header, a cell) and one animation frame
// redraws the marked parts, so a burst of watch events costs one redraw. Rows are keyed by node
// name and kept in name order; only the rows in view (and a few around them) are in the document,
// between two spacer rows of the height of the others, so 1,000 nodes cost the browser's layout
// no more than 50 do. Nothing is re-rendered whole except when the set of columns changes.
import { byName, daemonSetSummary, keyOf, nodeSummary, podDaemonSet, podNode, podOutdated, podSummary } from './summaries.js';

const NODE_COLUMNS = ['Node', 'Ready', 'Taints', 'Cordoned'];
/** Every body row's height, as style.css sets it (tbody th, tbody td). */
const ROW_PX = 24;
/** Rows kept in the document above and below the ones in view. */
const OVERSCAN = 20;
const cellKey = (node, dsUid) => `${node}\u0000${dsUid}`;

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class Grid {
  /** @param {HTMLTableElement} table */
  constructor(table) {
    this.table = table;
    this.head = table.tHead.rows[0];
    this.body = table.tBodies[0];
    this.nodes = new Map(); // name → Node
    this.daemonSets = new Map(); // uid → DaemonSet
    this.pods = new Map(); // namespace/name → { pod, cell }
    this.cells = new Map(); // cellKey → Map(pod key → pod)
    this.columns = []; // DaemonSet uids in namespace/name order
    this.rows = new Map(); // node name → { tr, tds: [name, ready, taints, cordoned], cells: Map(uid → td) }
    this.order = []; // node names in row order
    this.dirtyNodes = new Set();
    this.dirtyHeaders = new Set();
    this.dirtyCells = new Set();
    this.columnsChanged = true;
    this.frame = 0;
    this.onchange = (_nodesChanged) => {};
    this.pane = table.parentElement;
    this.above = this.spacer();
    this.below = this.spacer();
    this.attached = []; // the node names whose rows are in the document, in order
    this.windowChanged = true;
    const moved = () => {
      this.windowChanged = true;
      this.schedule();
    };
    this.pane.addEventListener('scroll', moved, { passive: true });
    addEventListener('resize', moved);
  }

  spacer() {
    const tr = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
    tr.append(el('td', { colspan: String(NODE_COLUMNS.length) }));
    return tr;
  }

  // --- model changes: each marks what it touches and asks for a frame ---

  resetNodes(items) {
    for (const name of this.nodes.keys()) this.dirtyNodes.add(name);
    this.nodes = new Map(items.map((n) => [n.metadata.name, n]));
    for (const name of this.nodes.keys()) this.dirtyNodes.add(name);
    this.schedule();
  }

  setNode(node) {
    this.nodes.set(node.metadata.name, node);
    this.dirtyNodes.add(node.metadata.name);
    this.schedule();
  }

  removeNode(node) {
    this.nodes.delete(node.metadata.name);
    this.dirtyNodes.add(node.metadata.name);
    this.schedule();
  }

  resetDaemonSets(items) {
    this.daemonSets = new Map(items.map((d) => [d.metadata.uid, d]));
    this.columnsChanged = true;
    this.schedule();
  }

  setDaemonSet(ds) {
    const old = this.daemonSets.get(ds.metadata.uid);
    this.daemonSets.set(ds.metadata.uid, ds);
    if (!old) this.columnsChanged = true;
    else {
      this.dirtyHeaders.add(ds.metadata.uid);
      // A new template generation makes the pods of the old one outdated.
      if (old.metadata.generation !== ds.metadata.generation)
        for (const name of this.nodes.keys()) this.dirtyCells.add(cellKey(name, ds.metadata.uid));
    }
    this.schedule();
  }

  removeDaemonSet(ds) {
    this.daemonSets.delete(ds.metadata.uid);
    this.columnsChanged = true;
    this.schedule();
  }

  resetPods(items) {
    for (const { cell } of this.pods.values()) if (cell) this.dirtyCells.add(cell);
    this.pods = new Map();
    this.cells = new Map();
    for (const pod of items) this.setPod(pod);
    this.schedule();
  }

  setPod(pod) {
    const key = keyOf(pod);
    this.unplace(key);
    const node = podNode(pod);
    const ds = podDaemonSet(pod);
    const cell = node !== undefined && ds !== undefined ? cellKey(node, ds) : undefined;
    this.pods.set(key, { pod, cell });
    if (cell) {
      let inCell = this.cells.get(cell);
      if (!inCell) this.cells.set(cell, (inCell = new Map()));
      inCell.set(key, pod);
      this.dirtyCells.add(cell);
    }
    this.schedule();
  }

  removePod(pod) {
    this.unplace(keyOf(pod));
    this.pods.delete(keyOf(pod));
    this.schedule();
  }

  unplace(key) {
    const cell = this.pods.get(key)?.cell;
    if (!cell) return;
    const inCell = this.cells.get(cell);
    inCell?.delete(key);
    if (inCell?.size === 0) this.cells.delete(cell);
    this.dirtyCells.add(cell);
  }

  /** The pod a cell shows: a live one before a terminating one, the newest first; and how many others share it. */
  cellPod(node, dsUid) {
    const inCell = this.cells.get(cellKey(node, dsUid));
    if (!inCell) return { pod: undefined, others: 0 };
    let best;
    for (const pod of inCell.values()) {
      if (!best) best = pod;
      else {
        const a = best.metadata.deletionTimestamp ? 1 : 0;
        const b = pod.metadata.deletionTimestamp ? 1 : 0;
        if (b < a || (a === b && pod.metadata.creationTimestamp > best.metadata.creationTimestamp)) best = pod;
      }
    }
    return { pod: best, others: inCell.size - 1 };
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  // --- one frame: draw what was marked ---

  flush() {
    this.frame = 0;
    if (this.columnsChanged) this.rebuildColumns();
    for (const name of this.dirtyNodes) this.drawNode(name);
    for (const uid of this.dirtyHeaders) this.drawHeader(uid);
    for (const key of this.dirtyCells) {
      const [node, uid] = key.split('\u0000');
      const td = this.rows.get(node)?.cells.get(uid);
      if (td) this.drawCell(td, node, uid);
    }
    if (this.windowChanged) this.attachRowsInView();
    const nodesChanged = this.dirtyNodes.size > 0;
    const changed = nodesChanged || this.dirtyHeaders.size + this.dirtyCells.size > 0;
    this.dirtyNodes.clear();
    this.dirtyHeaders.clear();
    this.dirtyCells.clear();
    if (changed) this.onchange(nodesChanged);
  }

  /** Puts the rows in view (and OVERSCAN around them) in the document, the spacers standing for the rest. */
  attachRowsInView() {
    this.windowChanged = false;
    const top = this.pane.scrollTop - this.table.tHead.offsetHeight;
    const first = Math.max(0, Math.floor(top / ROW_PX) - OVERSCAN);
    const last = Math.min(this.order.length, Math.ceil((top + this.pane.clientHeight) / ROW_PX) + OVERSCAN);
    const names = this.order.slice(first, last);
    this.above.style.height = `${first * ROW_PX}px`;
    this.below.style.height = `${(this.order.length - last) * ROW_PX}px`;
    if (names.length === this.attached.length && names.every((n, i) => n === this.attached[i])) return;
    this.attached = names;
    this.body.replaceChildren(this.above, ...names.map((n) => this.rows.get(n).tr), this.below);
  }

  rebuildColumns() {
    this.columnsChanged = false;
    for (const s of [this.above, this.below]) s.cells[0].colSpan = NODE_COLUMNS.length + this.daemonSets.size;
    const ds = this.daemonSets;
    this.columns = [...ds.keys()].sort((a, b) => byName(keyOf(ds.get(a)), keyOf(ds.get(b))));
    this.head.replaceChildren(...NODE_COLUMNS.map((c) => el('th', { scope: 'col', class: `node-col col-${c.toLowerCase()}` }, c)));
    // Fixed column widths (style.css): a cell whose text changes never makes the browser measure 1,000 rows again.
    this.table.style.width = `calc(var(--node-columns) + ${this.columns.length} * var(--ds-column))`;
    for (const uid of this.columns) {
      const th = el('th', { scope: 'col', class: 'ds', 'data-ds': keyOf(ds.get(uid)) });
      this.head.append(th);
      this.drawHeader(uid);
    }
    for (const [name, row] of this.rows) {
      row.cells = new Map();
      row.tr.replaceChildren(...row.tds);
      for (const uid of this.columns) {
        const td = el('td', { class: 'cell' });
        row.cells.set(uid, td);
        row.tr.append(td);
        this.drawCell(td, name, uid);
      }
    }
  }

  drawHeader(uid) {
    const ds = this.daemonSets.get(uid);
    const index = this.columns.indexOf(uid);
    const th = index < 0 ? undefined : this.head.cells[NODE_COLUMNS.length + index];
    if (!ds || !th) return;
    const s = daemonSetSummary(ds);
    const numbers = el('div', { class: 'numbers' });
    for (const [field, label] of [
      ['desired', 'desired'],
      ['current', 'current'],
      ['ready', 'ready'],
      ['upToDate', 'up-to-date'],
      ['available', 'available'],
    ]) {
      const span = el('span', { title: label }, label[0].toUpperCase());
      span.append(el('b', { 'data-field': field }, String(s[field])));
      numbers.append(span);
    }
    const bar = el('div', {
      class: 'progress',
      role: 'progressbar',
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      'aria-valuenow': String(Math.round(s.progress * 100)),
    });
    bar.append(el('div', { style: `width:${(s.progress * 100).toFixed(1)}%` }));
    th.classList.toggle('rolling', !s.done);
    th.title = `${keyOf(ds)}\ndesired ${s.desired}, current ${s.current}, ready ${s.ready}, up-to-date ${s.upToDate}, available ${s.available}\nimages: ${(ds.spec?.template?.spec?.containers ?? []).map((c) => c.image).join(', ')}`;
    th.replaceChildren(
      el('div', { class: 'ds-name' }, ds.metadata.name),
      el('div', { class: 'ds-ns' }, ds.metadata.namespace),
      numbers,
      bar,
    );
  }

  drawNode(name) {
    const node = this.nodes.get(name);
    let row = this.rows.get(name);
    if (!node) {
      if (row) {
        this.rows.delete(name);
        this.order.splice(this.indexOf(name), 1);
        this.windowChanged = true;
      }
      return;
    }
    if (!row) row = this.addRow(name);
    const s = nodeSummary(node);
    const [nameTd, readyTd, taintsTd, cordonedTd] = row.tds;
    nameTd.textContent = name;
    nameTd.title = s.labels.join('\n');
    readyTd.textContent = s.ready;
    readyTd.className = `ready r-${s.ready}`;
    readyTd.title = s.readyReason;
    taintsTd.textContent = s.taints.join(' ');
    taintsTd.title = s.taints.join('\n');
    cordonedTd.textContent = s.cordoned ? 'cordoned' : '';
    row.tr.classList.toggle('not-ready', s.ready !== 'True');
    row.tr.classList.toggle('cordoned', s.cordoned);
  }

  /** Where `name` is, or would go, in the sorted row order. */
  indexOf(name) {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byName(this.order[mid], name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addRow(name) {
    const tr = el('tr', { 'data-node': name });
    const tds = [el('th', { scope: 'row', class: 'node-name' }), el('td'), el('td', { class: 'taints' }), el('td', { class: 'cordon' })];
    tr.append(...tds);
    const row = { tr, tds, cells: new Map() };
    for (const uid of this.columns) {
      const td = el('td', { class: 'cell' });
      row.cells.set(uid, td);
      tr.append(td);
      this.drawCell(td, name, uid);
    }
    this.order.splice(this.indexOf(name), 0, name);
    this.rows.set(name, row);
    this.windowChanged = true;
    return row;
  }

  drawCell(td, node, uid) {
    const { pod, others } = this.cellPod(node, uid);
    if (!pod) {
      td.className = 'cell s-none';
      td.textContent = '';
      td.removeAttribute('data-pod');
      td.removeAttribute('data-state');
      td.removeAttribute('title');
      return;
    }
    const s = podSummary(pod);
    const outdated = podOutdated(pod, this.daemonSets.get(uid));
    td.className = `cell s-${s.state}${outdated ? ' outdated' : ''}`;
    td.dataset.pod = keyOf(pod);
    td.dataset.state = s.state;
    td.textContent = others > 0 ? `${s.reason} ${s.ready} +${others}` : `${s.reason} ${s.ready}`;
    td.title = `${keyOf(pod)}\n${s.reason}, ready ${s.ready}\n${s.image}${outdated ? '\nfrom an older template' : ''}`;
  }
}
