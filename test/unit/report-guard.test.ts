/**
 * The guard `npm test` preloads (test/helpers/report-guard.ts): under --test-force-exit a test file's results all
 * reach the runner, and a file whose process exits before its results were written fails instead of passing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runTestRunner, type RunnerResult } from '../helpers/test-runner.js';

const GUARD = fileURLToPath(new URL('../helpers/report-guard.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** Runs Node's test runner, as `npm test` does, over one file; returns its exit code and TAP output with stderr. */
function runRunner(file: string): Promise<RunnerResult> {
  return runTestRunner(['--import', TSX, '--import', GUARD, '--test', '--test-force-exit', '--test-reporter=tap', file]);
}

function testFile(t: { after(fn: () => void): void }, name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-report-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

function summary(output: string, name: string): number {
  const line = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output);
  assert.ok(line, `no "# ${name}" line in:\n${output}`);
  return Number(line[1]);
}

test('a file that leaves a timer running ends under --test-force-exit with every one of its results reported', async (t) => {
  const names = Array.from({ length: 60 }, (_, i) => `case ${i} ${'x'.repeat(400)}`);
  const file = testFile(
    t,
    'leaky.test.mjs',
    `import { test } from 'node:test';
setInterval(() => {}, 60_000);
for (const name of ${JSON.stringify(names)}) test(name, () => {});
`,
  );
  const run = await runRunner(file);
  assert.equal(run.code, 0, run.output);
  assert.equal(summary(run.output, 'tests'), 60);
  assert.equal(summary(run.output, 'pass'), 60);
  assert.doesNotMatch(run.output, /report-guard/);
});

test('a file whose process exits before its results are written fails the run', async (t) => {
  const file = testFile(
    t,
    'lost.test.mjs',
    `import { test } from 'node:test';
test('reported', () => {});
test('ends the process', () => { process.exit(0); });
test('never runs', () => {});
`,
  );
  const run = await runRunner(file);
  assert.equal(run.code, 1, run.output);
  assert.equal(summary(run.output, 'fail'), 1);
  assert.match(run.output, /report-guard: this test file's process is exiting before all of its results reached the test runner/);
});

test('a result that carries a Buffer (a failed deepEqual of two) is reported as such; the guard reads it too and the file ends normally', async (t) => {
  const file = testFile(
    t,
    'buffers.test.mjs',
    `import assert from 'node:assert/strict';
import { test } from 'node:test';
test('compares bytes', () => assert.deepEqual(Buffer.from('a'), Buffer.from('b')));
test('after it', () => {});
`,
  );
  const run = await runRunner(file);
  assert.equal(run.code, 1, run.output);
  assert.equal(summary(run.output, 'tests'), 2);
  assert.equal(summary(run.output, 'pass'), 1);
  assert.equal(summary(run.output, 'fail'), 1);
  assert.doesNotMatch(run.output, /Unable to deserialize|report-guard:/);
});
