/**
 * Real kubectl watching kubemock (spec kubectl-wire.md §3.3 and §15): `get pods -w` (Table rows,
 * `--output-watch-events`), `get pod NAME -w -o json`, and `kubectl wait` for a deletion and for a
 * jsonpath condition. The objects are written through the HTTP API, not through kubectl, so what
 * kubectl prints can only come from its watch.
 *
 * Controllers run (startServer): the cluster has no nodes, so the scheduler leaves every pod
 * Pending (it may add a PodScheduled=False condition: a MODIFIED event) and no kubelet runs one.
 * No assertion depends on the pod phase. Deletions go through the API with gracePeriodSeconds 0.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { after, before, describe, it, type TestContext } from 'node:test';
import { waitFor } from '../helpers/eventually.js';
import { findKubectlVersions, kubectlOrSkip, runKubectl, startServer, useServer, type TestServer } from '../helpers/kubectl.js';

const PODS = '/api/v1/namespaces/default/pods';
/** How long kubectl may take to print what it was sent. */
const SEE_MS = 10_000;

/** A long-running kubectl (a watch): its output so far, waits on it, and a stop that kills it. */
interface Streaming {
  stdout(): string;
  stderr(): string;
  /** Resolves with the whole stdout once `re` matches it; rejects after `timeoutMs` or if kubectl exits first. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Whether kubectl has exited by itself (a watch should not). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Kills it (SIGTERM, then SIGKILL) and waits for it to be gone. */
  stop(): Promise<void>;
}

const running = new Set<Streaming>();

function startKubectl(bin: string, server: Pick<TestServer, 'kubeconfigPath' | 'cacheDir'>, args: string[]): Streaming {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const child: ChildProcessWithoutNullStreams = spawn(
    bin,
    ['--kubeconfig', server.kubeconfigPath, '--cache-dir', server.cacheDir, ...args],
    { env, stdio: 'pipe', shell: false },
  );
  let out = '';
  let err = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const listeners = new Set<() => void>();
  const poke = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    poke();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    poke();
  });
  const gone = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exit = { code, signal };
      poke();
      resolve();
    });
    child.on('error', (e) => {
      err += `\n(spawn error: ${e.message})`;
      exit ??= { code: null, signal: null };
      poke();
      resolve();
    });
  });
  child.stdin.end();
  const shown = `kubectl ${args.join(' ')}`;
  const handle: Streaming = {
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    waitForOutput: (re, timeoutMs = SEE_MS) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(out)) {
            done();
            resolve(out);
          } else if (exit) {
            done();
            reject(new Error(`${shown} exited (${JSON.stringify(exit)}) before printing ${re}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${shown} did not print ${re} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    stop: async () => {
      running.delete(handle);
      if (!exit) {
        child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        await gone;
        clearTimeout(hard);
      }
    },
  };
  running.add(handle);
  return handle;
}

/** Resolves once `w` has printed nothing new for `ms`. */
async function quiet(w: Streaming, ms = 300, timeoutMs = SEE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let last = w.stdout(); Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, ms));
    if (w.stdout() === last) return;
    last = w.stdout();
  }
  throw new Error(`kubectl kept printing for ${timeoutMs} ms:\n${w.stdout()}`);
}

interface PodLike {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** The API, as a client library would use it (loopback only). */
async function api(server: TestServer, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<PodLike> {
  const url = new URL(path, server.url);
  assert.ok(['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname), `not a loopback URL: ${url.href}`);
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as PodLike;
}

const createPod = (server: TestServer, name: string, labels: Record<string, string> = {}) =>
  api(server, 'POST', PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
  });
const labelPod = (server: TestServer, name: string, labels: Record<string, string>) =>
  api(server, 'PATCH', `${PODS}/${name}`, { metadata: { labels } }, 'application/merge-patch+json');
/** Deletes at once (grace 0) and checks it is gone. */
async function deletePod(server: TestServer, name: string): Promise<void> {
  await api(server, 'DELETE', `${PODS}/${name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  const res = await fetch(new URL(`${PODS}/${name}`, server.url), { signal: AbortSignal.timeout(10_000) });
  await res.text();
  assert.equal(res.status, 404, `pod ${name} still there after a delete with grace 0`);
}

/** A row of `kubectl get pods` for `name` (any status), as a regexp source. */
const row = (name: string, prefix = '') => new RegExp(`^${prefix}${name}\\s+0/1\\s+\\S+\\s+\\d+\\s+\\S+\\s*$`, 'm');

/** The objects of `kubectl … -o json -w`: pretty-printed JSON objects one after the other. */
function jsonObjects(stdout: string): PodLike[] {
  return stdout
    .split(/(?<=^\})\n/m)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => JSON.parse(s) as PodLike);
}

describe('kubectl watches: get -w, wait', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await Promise.all([...running].map((w) => w.stop()));
    await server?.stop();
  });

  /** Resolves once the server has one more watch on pods than `before` (kubectl is watching). */
  const watchOpened = (before: number) =>
    waitFor(() => server.kubemock.registry.hub.listenerCount('pods') > before, { timeoutMs: SEE_MS, intervalMs: 20 });
  const podWatches = () => server.kubemock.registry.hub.listenerCount('pods');

  function kubectl(t: TestContext): string | undefined {
    return kubectlOrSkip(t);
  }

  it('get pods -w prints a row for each pod created, changed and deleted, and keeps watching until killed', async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    const watches = podWatches();
    const w = startKubectl(bin, server, ['get', 'pods', '-w']);
    try {
      await watchOpened(watches);
      await createPod(server, 'watch-a');
      await w.waitForOutput(row('watch-a'));
      assert.match(w.stdout(), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/, 'the header comes first');
      await createPod(server, 'watch-b');
      await w.waitForOutput(row('watch-b'));
      // Let the scheduler's status updates (more rows) come out before counting.
      await quiet(w);
      const before = w.stdout().split('\n').length;
      await deletePod(server, 'watch-a');
      // The deletion is one more watch-a row (kubectl prints the DELETED event's row as any other).
      await waitFor(
        () =>
          w
            .stdout()
            .split('\n')
            .slice(before - 1)
            .some((l) => row('watch-a').test(l)),
        { timeoutMs: SEE_MS },
      );
      await deletePod(server, 'watch-b');
      await waitFor(
        () =>
          w
            .stdout()
            .split('\n')
            .slice(before - 1)
            .some((l) => row('watch-b').test(l)),
        { timeoutMs: SEE_MS },
      );
      assert.equal(w.exited(), undefined, `kubectl get -w exited by itself:\n${w.stdout()}\n${w.stderr()}`);
      for (const line of w.stdout().trimEnd().split('\n').slice(1))
        assert.match(line, /^watch-[ab]\s+0\/1\s+\S+\s+\d+\s+\S+$/, `unexpected line in:\n${w.stdout()}`);
      assert.equal(w.stderr(), '');
    } finally {
      await w.stop();
    }
  });

  it('get pods -w --output-watch-events shows ADDED for the listed and new pods, then DELETED', async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    await createPod(server, 'events-old');
    const watches = podWatches();
    const w = startKubectl(bin, server, ['get', 'pods', '-w', '--output-watch-events']);
    try {
      await w.waitForOutput(/^ADDED\s+events-old\s+0\/1\s/m);
      assert.match(w.stdout(), /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
      await watchOpened(watches);
      await createPod(server, 'events-new');
      await w.waitForOutput(/^ADDED\s+events-new\s+0\/1\s/m);
      await deletePod(server, 'events-new');
      await w.waitForOutput(/^DELETED\s+events-new\s+0\/1\s/m);
      await deletePod(server, 'events-old');
      await w.waitForOutput(/^DELETED\s+events-old\s+0\/1\s/m);
      const types = w
        .stdout()
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]);
      for (const type of types)
        assert.ok(['ADDED', 'MODIFIED', 'DELETED'].includes(type), `unexpected event type ${type} in:\n${w.stdout()}`);
      // Each pod is added once and deleted once (the scheduler's status updates are MODIFIED).
      const count = (type: string, name: string) =>
        w
          .stdout()
          .split('\n')
          .filter((l) => new RegExp(`^${type}\\s+${name}\\s`).test(l)).length;
      for (const name of ['events-old', 'events-new']) {
        assert.equal(count('ADDED', name), 1, w.stdout());
        assert.equal(count('DELETED', name), 1, w.stdout());
      }
      assert.equal(w.exited(), undefined, 'kubectl get -w exited by itself');
    } finally {
      await w.stop();
    }
  });

  it('get pod NAME -w -o json prints the pod, then the pod as changed', async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    await createPod(server, 'json-watched', { x: 'before' });
    const watches = podWatches();
    const w = startKubectl(bin, server, ['get', 'pod', 'json-watched', '-w', '-o', 'json']);
    try {
      await w.waitForOutput(/^\}$/m);
      const first = jsonObjects(w.stdout())[0];
      assert.equal(first.metadata.name, 'json-watched');
      assert.equal(first.metadata.labels?.x, 'before');
      await watchOpened(watches);
      const patched = await labelPod(server, 'json-watched', { x: 'after' });
      await w.waitForOutput(/"x": "after"/);
      await waitFor(() => jsonObjects(w.stdout()).some((o) => o.metadata.resourceVersion === patched.metadata.resourceVersion));
      const objects = jsonObjects(w.stdout());
      for (const o of objects) assert.equal(o.metadata.name, 'json-watched', 'only the named pod is watched');
      const seen = objects.find((o) => o.metadata.resourceVersion === patched.metadata.resourceVersion)!;
      assert.equal(seen.metadata.labels?.x, 'after');
      assert.equal(w.exited(), undefined, 'kubectl get -w exited by itself');
    } finally {
      await w.stop();
      await deletePod(server, 'json-watched');
    }
  });

  it('wait --for=delete returns 0 with "condition met" once the pod is deleted', async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    await createPod(server, 'doomed');
    const watches = podWatches();
    const started = Date.now();
    const waiting = runKubectl(server, ['wait', '--for=delete', 'pod/doomed', '--timeout=20s'], { bin, timeoutMs: 30_000 });
    await watchOpened(watches);
    await deletePod(server, 'doomed');
    const result = await waiting;
    assert.equal(result.code, 0, `kubectl wait exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
    assert.equal(result.stdout, 'pod/doomed condition met\n');
    assert.ok(Date.now() - started < 15_000, `kubectl wait took ${Date.now() - started} ms: the DELETED event did not end it`);
  });

  it('wait --for=delete on a pod that is still there times out with exit 1', async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    await createPod(server, 'survivor');
    try {
      const result = await runKubectl(server, ['wait', '--for=delete', 'pod/survivor', '--timeout=2s'], { bin });
      assert.equal(result.code, 1, `expected exit 1:\n${result.stdout}${result.stderr}`);
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.pop(), 'error: timed out waiting for the condition on pods/survivor', result.stderr);
      // client-go races its own deadline: when the stream read sees it before the stop channel, the
      // reflector logs one "Failed to watch … context deadline exceeded" line (kubectl -v=6 shows a
      // single watch request, open until then). That is kubectl's doing, not a server error.
      for (const line of lines) assert.match(line, /reflector\.go:\d+\] "Failed to watch" err="context deadline exceeded"/, result.stderr);
    } finally {
      await deletePod(server, 'survivor');
    }
  });

  it("wait --for=jsonpath='{.metadata.labels.x}'=y returns once a label patch sets it", async (t) => {
    const bin = kubectl(t);
    if (!bin) return;
    await createPod(server, 'labelled', { x: 'n' });
    try {
      const watches = podWatches();
      let done = false;
      const waiting = runKubectl(server, ['wait', '--for=jsonpath={.metadata.labels.x}=y', 'pod/labelled', '--timeout=20s'], {
        bin,
        timeoutMs: 30_000,
      }).finally(() => {
        done = true;
      });
      await watchOpened(watches);
      // Unrelated changes do not satisfy it.
      await labelPod(server, 'labelled', { other: 'z' });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(done, false, 'kubectl wait returned before x was y');
      await labelPod(server, 'labelled', { x: 'y' });
      const result = await waiting;
      assert.equal(result.code, 0, `kubectl wait exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
      assert.equal(result.stdout, 'pod/labelled condition met\n');
    } finally {
      await deletePod(server, 'labelled');
    }
  });

  // The same watches through every versioned kubectl found next to the real one (1.27 … 1.33).
  for (const { version, path } of findKubectlVersions()) {
    it(`kubectl ${version}: get -w --output-watch-events sees ADDED and DELETED, wait --for=delete and --for=jsonpath return`, async () => {
      const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-watch-${version}`) };
      const name = `v${version.replace('.', '-')}`;
      let watches = podWatches();
      const w = startKubectl(path, own, ['get', 'pods', '-w', '--output-watch-events', '-l', `v=${name}`]);
      try {
        await watchOpened(watches);
        await createPod(server, name, { v: name, x: 'n' });
        await w.waitForOutput(new RegExp(`^ADDED\\s+${name}\\s+0/1\\s`, 'm'));
        assert.match(w.stdout(), /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);

        watches = podWatches();
        const jsonpath = runKubectl(own, ['wait', '--for=jsonpath={.metadata.labels.x}=y', `pod/${name}`, '--timeout=20s'], {
          bin: path,
          timeoutMs: 30_000,
        });
        await watchOpened(watches);
        await labelPod(server, name, { x: 'y' });
        const met = await jsonpath;
        assert.equal(met.code, 0, `wait --for=jsonpath exited ${met.code}\n${met.stdout}${met.stderr}`);
        assert.equal(met.stdout, `pod/${name} condition met\n`);

        watches = podWatches();
        const deletion = runKubectl(own, ['wait', '--for=delete', `pod/${name}`, '--timeout=20s'], { bin: path, timeoutMs: 30_000 });
        await watchOpened(watches);
        await deletePod(server, name);
        const gone = await deletion;
        assert.equal(gone.code, 0, `wait --for=delete exited ${gone.code}\n${gone.stdout}${gone.stderr}`);
        assert.equal(gone.stdout, `pod/${name} condition met\n`);
        await w.waitForOutput(new RegExp(`^DELETED\\s+${name}\\s+0/1\\s`, 'm'));
        assert.equal(w.exited(), undefined, 'kubectl get -w exited by itself');
      } finally {
        await w.stop();
      }
    });
  }
});

describe('kubectl get pods -w on a node: the pod lifecycle a kubelet reports', () => {
  const server = useServer({ nodes: 1, app: { simulation: { podStartupMs: 400 } } });
  after(async () => {
    await Promise.all([...running].map((w) => w.stop()));
  });

  it('shows Pending, then ContainerCreating, then Running 1/1', async (t) => {
    const bin = kubectlOrSkip(t);
    if (!bin) return;
    const watches = server.kubemock.registry.hub.listenerCount('pods');
    const w = startKubectl(bin, server, ['get', 'pods', '-w']);
    try {
      await waitFor(() => server.kubemock.registry.hub.listenerCount('pods') > watches, { timeoutMs: SEE_MS, intervalMs: 20 });
      await createPod(server, 'life');
      await w.waitForOutput(/^life\s+1\/1\s+Running\s+0\s+\S+$/m);
      const statuses = w
        .stdout()
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => line.split(/\s+/).slice(1, 3).join(' '));
      const phases = statuses.filter((s, i) => s !== statuses[i - 1]);
      assert.deepEqual(phases, ['0/1 Pending', '0/1 ContainerCreating', '1/1 Running'], w.stdout());
    } finally {
      await w.stop();
    }
  });
});
