/**
 * The dashboard (/kubemock/ui/) in a real headless Chromium: what it shows is what the API says,
 * it follows the cluster through its own list and watch (a node kubectl adds, a rollout), and its
 * buttons act through the control API and the Kubernetes API. Time runs on a manual clock, so every
 * state the page is asked to show stays put until the test moves the clock.
 *
 * KUBEMOCK_SCREENSHOT=docs/dashboard.png writes the README's picture from the last test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { useBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, startServer, type TestServer } from '../helpers/kubectl.js';
import { startCli } from '../helpers/cli.js';

type Obj = Record<string, any>;
const TUTORIAL_DS = fileURLToPath(new URL('../fixtures/tutorial-daemonset.yaml', import.meta.url));
const WAIT = { timeoutMs: 15_000, intervalMs: 50 };
const browser = useBrowser();

interface Cluster {
  server: TestServer;
  /** Moves the manual clock on a second at a time, letting the controllers finish in between. */
  pass(ms: number): Promise<void>;
  api(path: string, init?: { method?: string; body?: unknown; contentType?: string }): Promise<Obj>;
}

async function cluster(t: { after(fn: () => Promise<void>): void }, nodes: number): Promise<Cluster> {
  const clock = new ManualClock();
  const server = await startServer({ nodes, app: { clock, simulation: { podStartupMs: 1000, containerStopMs: 1000 } } });
  t.after(() => server.stop());
  const api: Cluster['api'] = async (path, init = {}) => {
    const res = await fetch(server.url + path, {
      method: init.method ?? 'GET',
      headers: { 'content-type': init.contentType ?? 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const body = (await res.json()) as Obj;
    assert.ok(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  // Generous: a thousand nodes' pods on two shared cores take a while, and no assertion is about speed.
  const idle = () => server.kubemock.manager!.waitIdle(120_000);
  const pass = async (ms: number) => {
    await idle();
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await idle();
    }
  };
  await idle();
  return { server, pass, api };
}

const mergePatch = (body: unknown) => ({ method: 'PATCH', body, contentType: 'application/merge-patch+json' });

function daemonSet(name: string, namespace: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...extra } },
    },
  };
}

/** Opens the dashboard and waits for its informers to be live; fails the test on any page error. */
async function openDashboard(t: Parameters<typeof browser>[0], server: TestServer, query = ''): Promise<Page | undefined> {
  const b = browser(t);
  if (!b) return undefined;
  const page = await b.newPage({ viewport: { width: 1280, height: 640 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  t.after(async () => {
    await page.close();
    assert.deepEqual(errors, [], 'errors in the page');
  });
  await page.goto(`${server.url}/kubemock/ui${query}`);
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 60_000 });
  return page;
}

interface Shown {
  columns: Record<string, Record<string, string>>;
  rows: { node: string; ready: string; taints: string; cordoned: boolean; cells: Record<string, { pod?: string; state?: string }> }[];
}

/** What the page shows, read from its DOM: the column headers' counts, and per row the node and its cells. */
function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const heads: any[] = [...doc.querySelectorAll('#grid thead th.ds')];
    const columns: Record<string, Record<string, string>> = {};
    for (const th of heads) {
      columns[th.dataset.ds] = Object.fromEntries(
        [...th.querySelectorAll('[data-field]')].map((e: any) => [e.dataset.field, e.textContent]),
      );
    }
    const keys = heads.map((th) => th.dataset.ds as string);
    const rows = [...doc.querySelectorAll('#grid tbody tr[data-node]')].map((tr: any) => {
      const cells = [...tr.querySelectorAll('td.cell')];
      return {
        node: tr.dataset.node,
        ready: tr.cells[1].textContent,
        taints: tr.cells[2].textContent,
        cordoned: tr.cells[3].textContent === 'cordoned',
        cells: Object.fromEntries(cells.map((td: any, i: number) => [keys[i], { pod: td.dataset.pod, state: td.dataset.state }])),
      };
    });
    return { columns, rows };
  });
}

/**
 * The grid the API describes, worked out here from the objects alone: nodes in name order (node-2
 * before node-10), each DaemonSet's status counts, and for each node and DaemonSet the live pod
 * there, `ready` when it runs and is Ready.
 */
async function expected(c: Cluster, namespace?: string): Promise<Shown> {
  const scope = namespace ? `/namespaces/${namespace}` : '';
  const nodes = (await c.api('/api/v1/nodes')).items as Obj[];
  const dss = ((await c.api(`/apis/apps/v1${scope}/daemonsets`)).items as Obj[]).sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
  );
  const pods = ((await c.api(`/api/v1${scope}/pods`)).items as Obj[]).filter((p) => !p.metadata.deletionTimestamp);
  const key = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;
  const columns: Shown['columns'] = {};
  for (const ds of dss) {
    const s = ds.status;
    columns[key(ds)] = {
      desired: String(s.desiredNumberScheduled),
      current: String(s.currentNumberScheduled),
      ready: String(s.numberReady),
      upToDate: String(s.updatedNumberScheduled ?? 0),
      available: String(s.numberAvailable ?? 0),
    };
  }
  const order = (name: string) => Number(/\d+$/.exec(name)?.[0] ?? 0);
  const rows = nodes
    .sort((a, b) => order(a.metadata.name) - order(b.metadata.name) || a.metadata.name.localeCompare(b.metadata.name))
    .map((node) => {
      const cells: Shown['rows'][number]['cells'] = {};
      for (const ds of dss) {
        const pod = pods.find(
          (p) => p.spec.nodeName === node.metadata.name && p.metadata.ownerReferences?.some((r: Obj) => r.uid === ds.metadata.uid),
        );
        const ready =
          pod?.status?.phase === 'Running' && pod.status.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True');
        cells[key(ds)] = pod ? { pod: key(pod), state: ready ? 'ready' : 'not ready' } : { pod: undefined, state: undefined };
      }
      return {
        node: node.metadata.name,
        ready: node.status.conditions.find((c: Obj) => c.type === 'Ready').status,
        taints: (node.spec.taints ?? []).map((t: Obj) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' '),
        cordoned: node.spec.unschedulable === true,
        cells,
      };
    });
  return { columns, rows };
}

/** `shown` with every non-ready state read as `not ready`, the one distinction `expected` makes. */
async function shownAsExpected(page: Page): Promise<Shown> {
  const s = await shown(page);
  for (const row of s.rows)
    for (const cell of Object.values(row.cells)) if (cell.state !== undefined && cell.state !== 'ready') cell.state = 'not ready';
  return s;
}

async function waitForGrid(page: Page, c: Cluster, namespace?: string): Promise<Shown> {
  return waitFor(async () => {
    const want = await expected(c, namespace);
    assert.deepEqual(await shownAsExpected(page), want);
    return want;
  }, WAIT);
}

test('the grid matches the API: nodes with Ready, taints and cordon, DaemonSet counts, a pod per cell; the namespace filter', async (t) => {
  const c = await cluster(t, 11);
  await c.api('/api/v1/nodes/node-1', mergePatch({ metadata: { labels: { disk: 'ssd' } } }));
  await c.api('/api/v1/nodes/node-2', mergePatch({ spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }));
  await c.api('/apis/apps/v1/namespaces/kube-system/daemonsets', { method: 'POST', body: daemonSet('node-agent', 'kube-system') });
  await c.api('/apis/apps/v1/namespaces/default/daemonsets', {
    method: 'POST',
    body: daemonSet('ssd-exporter', 'default', { nodeSelector: { disk: 'ssd' } }),
  });
  await c.pass(2000);
  await c.api('/api/v1/nodes/node-10', mergePatch({ spec: { unschedulable: true } }));
  await c.pass(0);

  const page = await openDashboard(t, c.server);
  if (!page) return;
  const grid = await waitForGrid(page, c);
  // The scene is the one set up: 11 nodes in reading order, one pod on node-1 only for the SSD
  // exporter, none on the tainted node-2 for the agent, node-10 cordoned.
  assert.deepEqual(
    grid.rows.map((r) => r.node),
    Array.from({ length: 11 }, (_, i) => `node-${i + 1}`),
  );
  assert.deepEqual(Object.keys(grid.columns), ['default/ssd-exporter', 'kube-system/node-agent']);
  assert.equal(grid.rows.filter((r) => r.cells['default/ssd-exporter'].state === 'ready').length, 1);
  assert.equal(grid.rows[1].cells['kube-system/node-agent'].pod, undefined);
  assert.equal(grid.rows[1].taints, 'dedicated=db:NoSchedule');
  assert.equal(grid.rows[9].cordoned, true);
  assert.equal(grid.columns['kube-system/node-agent'].desired, '10');

  await page.selectOption('#namespace', 'kube-system');
  const filtered = await waitForGrid(page, c, 'kube-system');
  assert.deepEqual(Object.keys(filtered.columns), ['kube-system/node-agent']);
  assert.match(page.url(), /\?namespace=kube-system$/);
});

test('the page lists, watches from the list resourceVersion, and lists again when a watch answers 410', async (t) => {
  const c = await cluster(t, 2);
  await c.api('/apis/apps/v1/namespaces/default/daemonsets', { method: 'POST', body: daemonSet('agent', 'default') });
  await c.pass(2000);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  await waitForGrid(page, c);

  // The next pod watch is refused as too old; then the open one is cut, so the page watches again.
  await c.api('/kubemock/v1/faults', { method: 'POST', body: { verb: 'watch', resource: 'pods', status: 410, count: 1 } });
  await c.api('/kubemock/v1/faults', { method: 'POST', body: { action: 'cut-watch', resource: 'pods', count: 1 } });
  // The Add nodes button (POST /kubemock/v1/nodes) makes node-3, whose pod comes through the new watch.
  await page.fill('#node-count', '1');
  await page.click('#add-nodes button');
  await waitFor(async () => assert.ok((await c.api('/api/v1/nodes/node-3')).metadata), WAIT);
  await c.pass(2000);
  const grid = await waitForGrid(page, c);
  assert.equal(grid.rows[2].cells['default/agent'].state, 'ready');

  const journal = (await c.api('/kubemock/v1/journal?resource=pods&userAgent=HeadlessChrome')).items as Obj[];
  const calls = journal.map((e) => `${e.verb} ${e.verb === 'watch' ? /resourceVersion=(\d+)/.exec(e.query)?.[1] : e.resourceVersion}`);
  assert.equal(calls.length, 5, calls.join(', '));
  const [list1, watch1, refused, list2, watch2] = calls;
  assert.match(list1, /^list \d+$/);
  assert.match(list2, /^list \d+$/);
  assert.equal(watch1, list1.replace('list', 'watch'), 'the first watch starts at the list resourceVersion');
  assert.match(refused, /^watch \d+$/);
  assert.equal(watch2, list2.replace('list', 'watch'), 'after 410 the page lists again and watches from there');
});

test('the events panel counts a series as kubectl does: by its series count, at its last observation', async (t) => {
  const c = await cluster(t, 1);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  await waitForGrid(page, c);
  await c.api('/apis/events.k8s.io/v1/namespaces/default/events', {
    method: 'POST',
    body: {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'seen-thrice' },
      eventTime: '2025-01-01T00:00:00.000000Z',
      series: { count: 3, lastObservedTime: '2025-01-01T00:01:02.000000Z' },
      reportingController: 'example.com/tester',
      reportingInstance: 'tester-1',
      action: 'Testing',
      reason: 'Repeated',
      regarding: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
      note: 'happened three times',
      type: 'Normal',
    },
  });
  const head = await waitFor(async () => {
    const heads: string[] = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('#events .event-head')].map((h: any) => h.textContent as string),
    );
    return heads.find((h) => h.includes('Repeated')) ?? false;
  }, WAIT);
  assert.equal(head, '00:01:02 Repeated node/node-1 ×3');
});

test('a node created with kubectl appears with its DaemonSet pod', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const c = await cluster(t, 2);
  await kubectlOk(c.server, ['create', '-f', TUTORIAL_DS]);
  await c.pass(2000);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  await waitForGrid(page, c);

  await kubectlOk(c.server, ['create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-7\n  labels: {zone: b}\n',
  });
  await c.pass(2000);
  const grid = await waitForGrid(page, c);
  const row = grid.rows.find((r) => r.node === 'node-7');
  assert.ok(row, 'a row for node-7');
  assert.equal(row.ready, 'True');
  const cell = row.cells['kube-system/fluentd-elasticsearch'];
  assert.equal(cell.state, 'ready');
  const pod = await c.api(`/api/v1/namespaces/${cell.pod!.replace('/', '/pods/')}`);
  assert.equal(pod.spec.nodeName, 'node-7');
});

test('a rollout recolours the cells: old pods terminate, new ones start, each cell ends Ready with the new image', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const c = await cluster(t, 3);
  await kubectlOk(c.server, ['create', '-f', TUTORIAL_DS]);
  await c.pass(2000);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  const before = await waitForGrid(page, c);
  const column = 'kube-system/fluentd-elasticsearch';
  const NEW = 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0';

  await kubectlOk(c.server, ['set', 'image', '-n', 'kube-system', 'ds/fluentd-elasticsearch', `fluentd-elasticsearch=${NEW}`]);
  await c.pass(0);
  // The clock stands still: one old pod is stopping (maxUnavailable 1), the column shows a rollout under way.
  await waitFor(async () => {
    const states = (await shown(page)).rows.map((r) => r.cells[column].state);
    assert.deepEqual(states.filter((s) => s !== 'ready').length, 1, states.join(' '));
    assert.ok(await page.locator(`th.ds.rolling[data-ds="${column}"]`).count(), 'the column header shows the rollout');
  }, WAIT);

  for (let i = 0; i < 30; i++) {
    const ds = await c.api('/apis/apps/v1/namespaces/kube-system/daemonsets/fluentd-elasticsearch');
    if (ds.status.updatedNumberScheduled === 3 && ds.status.numberAvailable === 3) break;
    await c.pass(1000);
  }
  const after = await waitForGrid(page, c);
  for (const [i, row] of after.rows.entries()) {
    assert.equal(row.cells[column].state, 'ready');
    assert.notEqual(row.cells[column].pod, before.rows[i].cells[column].pod, `${row.node} has a new pod`);
  }
  const titles: string[] = await page.locator(`#grid tbody td.cell`).evaluateAll((tds) => tds.map((td: any) => td.title));
  assert.ok(
    titles.every((title) => title.includes(NEW)),
    titles.join('\n'),
  );
  assert.equal(await page.locator('#grid td.cell.outdated').count(), 0);
  assert.equal(await page.locator(`th.ds.rolling[data-ds="${column}"]`).count(), 0);
});

test('the NotReady button makes the node NotReady, Cordon cordons it, Crash crash-loops a pod, Gone deletes the node', async (t) => {
  const c = await cluster(t, 6);
  await c.api('/apis/apps/v1/namespaces/kube-system/daemonsets', { method: 'POST', body: daemonSet('node-agent', 'kube-system') });
  await c.api('/apis/apps/v1/namespaces/kube-system/daemonsets', {
    method: 'POST',
    body: daemonSet('log-shipper', 'kube-system', { nodeSelector: { logs: 'on' } }),
  });
  for (const n of [1, 2, 3, 5]) await c.api(`/api/v1/nodes/node-${n}`, mergePatch({ metadata: { labels: { logs: 'on' } } }));
  await c.pass(2000);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  await waitForGrid(page, c);

  await page.click('tr[data-node="node-4"] th');
  await page.click('#selection-actions button:text-is("NotReady")');
  await waitFor(async () => {
    const node = await c.api('/api/v1/nodes/node-4');
    assert.equal(node.status.conditions.find((x: Obj) => x.type === 'Ready').status, 'False');
  }, WAIT);
  await page.click('#selection-actions button:text-is("Cordon")');
  await waitFor(async () => assert.equal((await c.api('/api/v1/nodes/node-4')).spec.unschedulable, true), WAIT);

  const podCell = page.locator('tr[data-node="node-2"] td.cell[data-pod^="kube-system/log-shipper"]');
  const podKey = (await podCell.getAttribute('data-pod'))!;
  await podCell.click();
  await page.click('#selection-actions button:text-is("Crash")');
  await c.pass(1000);
  await waitFor(async () => {
    const pod = await c.api(`/api/v1/namespaces/${podKey.replace('/', '/pods/')}`);
    assert.ok(pod.status.containerStatuses[0].restartCount > 0);
  }, WAIT);

  const grid = await waitForGrid(page, c);
  const node4 = grid.rows.find((r) => r.node === 'node-4')!;
  assert.equal(node4.ready, 'False');
  assert.equal(node4.cordoned, true);
  assert.equal(await page.locator(`td.cell[data-pod="${podKey}"]`).getAttribute('data-state'), 'failed');

  if (process.env.KUBEMOCK_SCREENSHOT) {
    mkdirSync(dirname(process.env.KUBEMOCK_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: process.env.KUBEMOCK_SCREENSHOT });
  }

  // Gone: the Node is deleted, and its row leaves the grid.
  await page.click('tr[data-node="node-6"] th');
  await page.click('#selection-actions button:text-is("Gone")');
  await c.pass(0);
  await waitFor(async () => {
    const res = await fetch(`${c.server.url}/api/v1/nodes/node-6`);
    assert.equal(res.status, 404);
    assert.equal(await page.locator('tr[data-node="node-6"]').count(), 0);
  }, WAIT);
});

test('with --auth, the URL the banner prints opens a live dashboard that shows the nodes and keeps the token out of the address bar', async (t) => {
  const b = browser(t);
  if (!b) return;
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-dash-auth-'));
  const cli = await startCli([
    '--port',
    '0',
    '--db',
    ':memory:',
    '--kubeconfig',
    join(dir, 'kc'),
    '--nodes',
    '2',
    '--log-level',
    'silent',
    '--auth',
  ]);
  t.after(() => cli.stop());
  const url = /^dashboard: (\S+#token=\S+)$/m.exec(cli.stdout())?.[1];
  assert.ok(url, cli.stdout());
  const page = await b.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  t.after(() => page.close());
  await page.goto(url);
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 60_000 });
  await waitFor(
    async () =>
      assert.deepEqual(
        (await shown(page)).rows.map((r) => r.node),
        ['node-1', 'node-2'],
      ),
    WAIT,
  );
  assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
  // A reload (no fragment now) keeps the tab's token.
  await page.reload();
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 60_000 });
  assert.deepEqual(errors, []);
});

test('1,000 nodes: only the rows in view are in the document, and scrolling brings the others', async (t) => {
  const c = await cluster(t, 1000);
  await c.api('/apis/apps/v1/namespaces/default/daemonsets', { method: 'POST', body: daemonSet('agent', 'default') });
  await c.pass(2000);
  const page = await openDashboard(t, c.server);
  if (!page) return;
  const slow = { ...WAIT, timeoutMs: 60_000 };
  await waitFor(
    async () => assert.match((await page.textContent('#summary'))!, /^1000 nodes \(1000 Ready\) · 1 DaemonSets · 1000 pods$/),
    slow,
  );
  const attached = async () => (await shown(page)).rows;
  const top = await attached();
  assert.equal(top[0].node, 'node-1');
  assert.ok(top.length < 100, `${top.length} rows in the document`);

  await page.locator('#grid-pane').evaluate((pane: any) => (pane.scrollTop = pane.scrollHeight));
  await waitFor(async () => {
    const bottom = await attached();
    assert.equal(bottom.at(-1)?.node, 'node-1000');
    assert.ok(bottom.length < 100, `${bottom.length} rows in the document`);
    const pod = (await c.api('/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName=node-1000')).items[0];
    assert.deepEqual(bottom.at(-1)!.cells['default/agent'], { pod: `default/${pod.metadata.name}`, state: 'ready' });
  }, slow);
  // The page is as tall as 1,000 rows, so the scroll bar tells where one is.
  const height = await page.locator('#grid').evaluate((table: any) => table.offsetHeight);
  assert.ok(height >= 1000 * 24, `table height ${height}`);
});
