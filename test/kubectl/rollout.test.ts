/**
 * `kubectl rollout` against a DaemonSet with the real kubectl: set image, status (progress lines),
 * history (and --revision), undo (and --to-revision, skipped rollback), restart, pause/resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';

// Containers take 400 ms to exit: a rollout over three nodes lasts long enough for rollout status to print progress.
const server = useServer({ nodes: 3, app: { simulation: { podStartupMs: 20, containerStopMs: 400 } } });

const kubectl = (...args: string[]) => runKubectl(server, args);
async function ok(...args: string[]): Promise<string> {
  const res = await kubectl(...args);
  assert.equal(res.code, 0, `kubectl ${args.join(' ')} exited ${res.code}\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

const manifest = (name: string, strategy = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
${strategy}  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx:1.25
`;

type Obj = Record<string, any>;
async function pods(name: string): Promise<Obj[]> {
  const items = JSON.parse(await ok('get', 'pods', '-l', `app=${name}`, '-o', 'json')).items as Obj[];
  return items.filter((p) => !p.metadata.deletionTimestamp);
}

/** `rollout status` output: progress lines (each from the upstream set), then the success line. */
function assertStatusOutput(stdout: string, name: string, desired: number): void {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.at(-1), `daemon set "${name}" successfully rolled out`);
  const progress = [
    /^Waiting for daemon set spec update to be observed\.\.\.$/,
    new RegExp(`^Waiting for daemon set "${name}" rollout to finish: \\d+ out of ${desired} new pods have been updated\\.\\.\\.$`),
    new RegExp(`^Waiting for daemon set "${name}" rollout to finish: \\d+ of ${desired} updated pods are available\\.\\.\\.$`),
  ];
  for (const line of lines.slice(0, -1))
    assert.ok(
      progress.some((re) => re.test(line)),
      `unexpected line: ${JSON.stringify(line)}`,
    );
}

test('set image, rollout status, history, undo, restart on a DaemonSet', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const created = await runKubectl(server, ['create', '-f', '-'], { input: manifest('x') });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, 'daemonset.apps/x created\n');
  assertStatusOutput(await ok('rollout', 'status', 'ds/x', '--timeout=30s'), 'x', 3);

  assert.equal(await ok('rollout', 'history', 'ds/x'), 'daemonset.apps/x \nREVISION  CHANGE-CAUSE\n1         <none>\n\n');
  const noLast = await kubectl('rollout', 'undo', 'ds/x');
  assert.equal(noLast.code, 1);
  assert.equal(noLast.stderr, 'error: no last revision to roll back to\n');

  await ok('annotate', 'ds/x', 'kubernetes.io/change-cause=image 1.26');
  assert.equal(await ok('set', 'image', 'ds/x', 'c=nginx:1.26'), 'daemonset.apps/x image updated\n');
  const status = await ok('rollout', 'status', 'ds/x', '--timeout=30s');
  assertStatusOutput(status, 'x', 3);
  assert.match(
    status,
    /rollout to finish: \d out of 3 new pods have been updated\.\.\.\n/,
    'progress was printed while pods were replaced',
  );
  assert.deepEqual(
    (await pods('x')).map((p) => p.spec.containers[0].image),
    Array(3).fill('nginx:1.26'),
  );

  assert.equal(
    await ok('rollout', 'history', 'ds/x'),
    'daemonset.apps/x \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.26\n\n',
  );
  const rev1 = await ok('rollout', 'history', 'ds/x', '--revision=1');
  assert.match(
    rev1,
    /^daemonset\.apps\/x with revision #1\nPod Template:\n {2}Labels:\tapp=x\n {2}Containers:\n {3}c:\n {4}Image:\tnginx:1\.25\n/,
  );
  const missing = await kubectl('rollout', 'history', 'ds/x', '--revision=9');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'error: unable to find the specified revision\n');

  // Already on revision 2: kubectl compares the template with the revision's data byte for byte.
  assert.equal(
    await ok('rollout', 'undo', 'ds/x', '--to-revision=2'),
    'daemonset.apps/x skipped rollback (current template already matches revision 2)\n',
  );
  const notFound = await kubectl('rollout', 'undo', 'ds/x', '--to-revision=7');
  assert.equal(notFound.code, 1);
  assert.equal(notFound.stderr, 'error: unable to find specified revision 7 in history\n');

  const before = new Map((await pods('x')).map((p) => [p.spec.nodeName, p.metadata.uid]));
  assert.equal(await ok('rollout', 'undo', 'ds/x'), 'daemonset.apps/x rolled back\n');
  assertStatusOutput(await ok('rollout', 'status', 'ds/x', '--timeout=30s'), 'x', 3);
  const rolledBack = await pods('x');
  assert.deepEqual(
    rolledBack.map((p) => p.spec.containers[0].image),
    Array(3).fill('nginx:1.25'),
  );
  assert.ok(
    rolledBack.every((p) => before.get(p.spec.nodeName) !== p.metadata.uid),
    'every pod replaced',
  );
  // Revision 1 is reused as revision 3 (same name), revision 2 stays.
  assert.equal(
    await ok('rollout', 'history', 'ds/x'),
    'daemonset.apps/x \nREVISION  CHANGE-CAUSE\n2         image 1.26\n3         <none>\n\n',
  );
  assert.equal(await ok('rollout', 'undo', 'ds/x', '--to-revision=2'), 'daemonset.apps/x rolled back\n');
  assertStatusOutput(await ok('rollout', 'status', 'ds/x', '--timeout=30s'), 'x', 3);
  assert.equal(
    await ok('rollout', 'history', 'ds/x'),
    'daemonset.apps/x \nREVISION  CHANGE-CAUSE\n3         <none>\n4         image 1.26\n\n',
  );
  assert.equal(
    await ok('rollout', 'undo', 'ds/x', '--to-revision=4'),
    'daemonset.apps/x skipped rollback (current template already matches revision 4)\n',
  );

  // restart: a restartedAt template annotation, a new revision, every pod rolled.
  const beforeRestart = new Set((await pods('x')).map((p) => p.metadata.uid));
  assert.equal(await ok('rollout', 'restart', 'ds/x'), 'daemonset.apps/x restarted\n');
  assertStatusOutput(await ok('rollout', 'status', 'ds/x', '--timeout=30s'), 'x', 3);
  const restarted = await pods('x');
  assert.equal(restarted.length, 3);
  assert.ok(
    restarted.every((p) => !beforeRestart.has(p.metadata.uid)),
    'every pod was replaced',
  );
  assert.ok(
    restarted.every((p) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '')),
  );
  assert.equal(
    await ok('rollout', 'history', 'ds/x'),
    'daemonset.apps/x \nREVISION  CHANGE-CAUSE\n3         <none>\n4         image 1.26\n5         image 1.26\n\n',
  );
});

test('rollout pause/resume are not supported for DaemonSets; status needs RollingUpdate', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const created = await runKubectl(server, ['create', '-f', '-'], { input: manifest('od', '  updateStrategy:\n    type: OnDelete\n') });
  assert.equal(created.code, 0, created.stderr);
  const pause = await kubectl('rollout', 'pause', 'ds/od');
  assert.equal(pause.code, 1);
  assert.equal(pause.stderr, 'error: daemonsets.apps "od" pausing is not supported\n');
  const resume = await kubectl('rollout', 'resume', 'ds/od');
  assert.equal(resume.code, 1);
  assert.equal(resume.stderr, 'error: daemonsets.apps "od" resuming is not supported\n');
  const status = await kubectl('rollout', 'status', 'ds/od', '--timeout=5s');
  assert.equal(status.code, 1);
  assert.equal(status.stderr, 'error: rollout status is only available for RollingUpdate strategy type\n');
  await waitFor(async () => (await pods('od')).length === 3, { timeoutMs: 10_000 });
});

test('rollout status waits on a stalled rollout; undo recovers it', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const created = await runKubectl(server, ['create', '-f', '-'], { input: manifest('bad') });
  assert.equal(created.code, 0, created.stderr);
  await ok('rollout', 'status', 'ds/bad', '--timeout=30s');
  await ok('set', 'image', 'ds/bad', 'c=foo:non-existent');
  const stalled = await kubectl('rollout', 'status', 'ds/bad', '--timeout=2s');
  assert.equal(stalled.code, 1);
  assert.match(stalled.stdout, /Waiting for daemon set "bad" rollout to finish: 1 out of 3 new pods have been updated\.\.\.\n$/);
  assert.equal(stalled.stderr, 'error: timed out waiting for the condition\n');
  const good = (await pods('bad')).filter((p) => p.spec.containers[0].image === 'nginx:1.25').map((p) => p.metadata.uid);
  assert.equal(good.length, 2);
  assert.equal(await ok('rollout', 'undo', 'ds/bad'), 'daemonset.apps/bad rolled back\n');
  assertStatusOutput(await ok('rollout', 'status', 'ds/bad', '--timeout=30s'), 'bad', 3);
  const after = await pods('bad');
  assert.deepEqual(
    after.map((p) => p.spec.containers[0].image),
    Array(3).fill('nginx:1.25'),
  );
  for (const uid of good)
    assert.ok(
      after.some((p) => p.metadata.uid === uid),
      'healthy pods kept',
    );
});

test('undo to the current revision is skipped when the template holds <, > or & (kubectl compares Go-escaped bytes)', async (t) => {
  if (!kubectlOrSkip(t)) return;
  const withShell = manifest('esc').replace(
    '        image: nginx:1.25\n',
    '        image: nginx:1.25\n        command: ["sh", "-c", "a && b < in > out"]\n',
  );
  const created = await runKubectl(server, ['create', '-f', '-'], { input: withShell });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(
    await ok('rollout', 'undo', 'ds/esc', '--to-revision=1'),
    'daemonset.apps/esc skipped rollback (current template already matches revision 1)\n',
  );
});
