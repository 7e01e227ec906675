import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/profile-summary.ts', import.meta.url));

const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///x/dist/app.js', lineNumber, columnNumber: 0 });

/** (root) → loop → write → stringify, and loop → stringify directly: 10 ms in write, 30 + 20 ms in stringify, 5 in loop. */
const PROFILE = {
  nodes: [
    { id: 1, callFrame: { ...frame('(root)', -1), url: '' }, children: [2] },
    { id: 2, callFrame: frame('loop', 9), children: [3, 5] },
    { id: 3, callFrame: frame('write', 19), children: [4] },
    { id: 4, callFrame: frame('stringify', 29) },
    { id: 5, callFrame: frame('stringify', 29) },
  ],
  samples: [3, 4, 4, 4, 5, 5, 2],
  timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 5_000],
};

describe('scripts/profile-summary.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-profile-'));
  const file = join(dir, 'run.cpuprofile');
  writeFileSync(file, JSON.stringify(PROFILE));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, file, ...args], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().replace(/\s+/g, ' '));

  it('lists functions by their own time, with their share', () => {
    assert.deepEqual(run('self', '3'), [
      '65.0 ms sampled',
      '50.0 ms 76.9% stringify dist/app.js:30',
      '10.0 ms 15.4% write dist/app.js:20',
      '5.0 ms 7.7% loop dist/app.js:10',
    ]);
  });

  it('lists functions by the time under them', () => {
    const total = run('total', '3').slice(1);
    // The root and the loop under it hold every sample (in either order), then stringify.
    assert.deepEqual(total.slice(0, 2).sort(), ['65.0 ms 100.0% (root) :0', '65.0 ms 100.0% loop dist/app.js:10']);
    assert.equal(total[2], '50.0 ms 76.9% stringify dist/app.js:30');
  });

  it("splits a function's time by its callees and by its callers", () => {
    const under = run('under', 'write');
    assert.equal(under[0], '40.0 ms under write; its callees:');
    assert.equal(under[1], '30.0 ms stringify:30:0');
    assert.deepEqual(run('callers', 'stringify', '2'), ['30.0 ms write < loop', '20.0 ms loop < (root)']);
  });
});
