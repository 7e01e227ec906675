// The dashboard page: informers on nodes, namespaces, DaemonSets, pods and events feed the grid
// and the events panel; the namespace filter re-points the namespaced ones; the selection panel
// acts on the node or pod clicked.
import { Informer } from './informer.js';
import { Grid } from './grid.js';
import { EventList } from './events.js';
import { addNodes, chaos, deletePod, setCordoned } from './actions.js';
import { byName, nodeSummary, podSummary } from './summaries.js';

const $ = (id) => document.getElementById(id);

const grid = new Grid($('grid'));
const events = new EventList($('events'));
const states = new Map(); // informer name → listing | live | error

function showState(name, state, err) {
  states.set(name, state);
  const all = [...states.values()];
  const overall = all.includes('error') ? 'error' : all.includes('listing') ? 'listing' : 'live';
  const badge = $('connection');
  badge.dataset.state = overall;
  badge.textContent = overall === 'live' ? 'live' : overall === 'listing' ? 'listing…' : 'reconnecting…';
  if (err) badge.title = String(err.message ?? err);
}

function informer(name, path, target) {
  return new Informer(path, {
    reset: (items) => target.reset(items),
    event: (type, object) => (type === 'DELETED' ? target.remove(object) : target.set(object)),
    state: (state, err) => showState(name, state, err),
  }).start();
}

// --- what is watched ---

informer('nodes', '/api/v1/nodes', { reset: (i) => grid.resetNodes(i), set: (o) => grid.setNode(o), remove: (o) => grid.removeNode(o) });

const namespaceSelect = $('namespace');
const namespaces = new Set();
function drawNamespaces() {
  const chosen = namespaceSelect.value;
  const options = [new Option('all namespaces', '')];
  for (const ns of [...namespaces].sort(byName)) options.push(new Option(ns, ns));
  if (chosen && !namespaces.has(chosen)) options.push(new Option(chosen, chosen));
  namespaceSelect.replaceChildren(...options);
  namespaceSelect.value = chosen;
}
informer('namespaces', '/api/v1/namespaces', {
  reset: (items) => {
    namespaces.clear();
    for (const n of items) namespaces.add(n.metadata.name);
    drawNamespaces();
  },
  set: (n) => {
    if (!namespaces.has(n.metadata.name)) (namespaces.add(n.metadata.name), drawNamespaces());
  },
  remove: (n) => namespaces.delete(n.metadata.name) && drawNamespaces(),
});

let namespaced = [];
function watchNamespace(ns) {
  for (const i of namespaced) i.stop();
  for (const name of ['daemonsets', 'pods', 'events']) states.delete(name);
  const scope = ns ? `/namespaces/${encodeURIComponent(ns)}` : '';
  grid.resetDaemonSets([]);
  grid.resetPods([]);
  events.reset([]);
  namespaced = [
    informer('daemonsets', `/apis/apps/v1${scope}/daemonsets`, {
      reset: (i) => grid.resetDaemonSets(i),
      set: (o) => grid.setDaemonSet(o),
      remove: (o) => grid.removeDaemonSet(o),
    }),
    informer('pods', `/api/v1${scope}/pods`, {
      reset: (i) => grid.resetPods(i),
      set: (o) => grid.setPod(o),
      remove: (o) => grid.removePod(o),
    }),
    informer('events', `/api/v1${scope}/events`, events),
  ];
}

const initial = new URLSearchParams(location.search).get('namespace') ?? '';
if (initial) (namespaces.add(initial), drawNamespaces());
namespaceSelect.value = initial;
watchNamespace(initial);
namespaceSelect.addEventListener('change', () => {
  const url = new URL(location.href);
  if (namespaceSelect.value) url.searchParams.set('namespace', namespaceSelect.value);
  else url.searchParams.delete('namespace');
  history.replaceState(null, '', url);
  watchNamespace(namespaceSelect.value);
});

// --- the counts in the header ---

let readyNodes = 0;
grid.onchange = (nodesChanged) => {
  if (nodesChanged) {
    readyNodes = 0;
    for (const n of grid.nodes.values()) if (nodeSummary(n).ready === 'True') readyNodes++;
  }
  const ready = readyNodes;
  $('summary').textContent = `${grid.nodes.size} nodes (${ready} Ready) · ${grid.daemonSets.size} DaemonSets · ${grid.pods.size} pods`;
  drawSelection();
};

// --- selection and actions ---

let selected; // { node } or { pod: 'namespace/name' }

$('grid').addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  const cell = target?.closest('td[data-pod]');
  const row = target?.closest('tr[data-node]');
  if (cell) selected = { pod: cell.dataset.pod };
  else if (row) selected = { node: row.dataset.node };
  else return;
  drawSelection();
});

function button(label, action, title) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (title) b.title = title;
  b.addEventListener('click', () => run(action));
  return b;
}

async function run(action) {
  try {
    await action();
  } catch (err) {
    toast(String(err.message ?? err));
  }
}

function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 6000);
}

function drawSelection() {
  const panel = $('selection');
  const title = $('selection-title');
  const details = $('selection-details');
  const buttons = $('selection-actions');
  if (selected?.node) {
    const node = grid.nodes.get(selected.node);
    if (!node) return void (panel.hidden = true);
    const s = nodeSummary(node);
    const name = selected.node;
    panel.hidden = false;
    title.textContent = `Node ${name}`;
    details.textContent = `Ready ${s.ready}${s.readyReason ? ` (${s.readyReason})` : ''}${s.cordoned ? ', cordoned' : ''}${s.taints.length ? `\ntaints: ${s.taints.join(', ')}` : ''}\n${s.labels.join('\n')}`;
    if (panel.dataset.for !== `node/${name}/${s.cordoned}`) {
      panel.dataset.for = `node/${name}/${s.cordoned}`;
      buttons.replaceChildren(
        button('NotReady', () => chaos({ action: 'node-not-ready', node: name }), 'the kubelet reports Ready=False'),
        button('Unreachable', () => chaos({ action: 'node-unreachable', node: name }), 'the kubelet stops renewing its lease'),
        button('Gone', () => chaos({ action: 'node-gone', node: name }), 'the kubelet falls silent and the Node is deleted'),
        button('Ready', () => chaos({ action: 'node-ready', node: name }), 'undo the node chaos'),
        s.cordoned ? button('Uncordon', () => setCordoned(name, false)) : button('Cordon', () => setCordoned(name, true)),
      );
    }
  } else if (selected?.pod) {
    const entry = grid.pods.get(selected.pod);
    if (!entry) return void (panel.hidden = true);
    const pod = entry.pod;
    const s = podSummary(pod);
    const { namespace, name } = pod.metadata;
    panel.hidden = false;
    title.textContent = `Pod ${namespace}/${name}`;
    details.textContent = `${s.reason}, ready ${s.ready}\nnode ${pod.spec?.nodeName ?? '(not scheduled)'}\n${s.image}`;
    if (panel.dataset.for !== `pod/${selected.pod}`) {
      panel.dataset.for = `pod/${selected.pod}`;
      const podChaos = (action) => () => chaos({ action, namespace, pod: name });
      buttons.replaceChildren(
        button('Crash', podChaos('pod-crash'), 'containers crash-loop'),
        button('Fail', podChaos('pod-fail'), 'containers exit 1, phase Failed'),
        button('Never ready', podChaos('pod-never-ready'), 'readiness fails'),
        button('Ignore SIGTERM', podChaos('pod-ignore-sigterm'), 'a deletion waits out the grace period'),
        button('Recover', podChaos('pod-recover'), 'undo the pod chaos'),
        button('Delete', () => deletePod(namespace, name)),
      );
    }
  } else panel.hidden = true;
}

$('add-nodes').addEventListener('submit', (e) => {
  e.preventDefault();
  const count = Number($('node-count').value);
  void run(() => addNodes(count));
});
