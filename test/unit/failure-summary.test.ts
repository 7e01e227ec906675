/**
 * The reporter `npm test` adds beside TAP (test/helpers/failure-summary.ts): at the end of a run it lists
 * every failed test again with its suites, where it is and its error, so a log's last lines say what failed.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import failureSummary from '../helpers/failure-summary.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { runTestRunner } from '../helpers/test-runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORTER = './test/helpers/failure-summary-reporter.js';

/** The reporter flags of `npm test`, read from package.json so this test follows them. */
function npmTestReporterFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } };
  const flags = pkg.scripts.test.split(/\s+/).filter((word) => word.startsWith('--test-reporter'));
  assert.ok(flags.includes(`--test-reporter=${REPORTER}`), `npm test does not use ${REPORTER}: ${pkg.scripts.test}`);
  return flags;
}

async function runRunner(file: string): Promise<string> {
  return (await runTestRunner(['--test', '--test-force-exit', ...npmTestReporterFlags(), file], ROOT)).output;
}

describe('npm test with the failure summary', () => {
  const dir = useTempDir('kubemock-failure-summary-');

  test('ends its output with each failed test: suites, name, file and line, and the error', async () => {
    const file = join(dir(), 'mixed.test.mjs');
    writeFileSync(
      file,
      `import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
describe('outer', () => {
  describe('inner', () => {
    it('compares', () => { assert.equal(1, 2); });
    it('passes', () => {});
  });
});
test('throws', () => { throw new Error('the first line\\nthe second line'); });
test('passes too', () => {});
`,
    );
    const output = await runRunner(file);
    const start = output.indexOf('# failing tests (2):');
    assert.ok(start !== -1, `no summary in:\n${output}`);
    assert.ok(start > output.indexOf('1..3'), 'the summary comes after the tests');
    const summary = output.slice(start);
    assert.match(summary, /^# ✖ outer › inner › compares\n# {5}at .*mixed\.test\.mjs:5:5\n# {5}AssertionError.*\n/m);
    assert.match(summary, /^# ✖ throws\n# {5}at .*mixed\.test\.mjs:9:1\n# {5}Error: the first line\n# {5}the second line\n/m);
    assert.doesNotMatch(summary, /✖ .*passes/);
    assert.match(summary, /^# {9}at .*mixed\.test\.mjs:5:/m, "the test's own frame is kept");
    assert.doesNotMatch(summary, /node:internal|<anonymous>\)$/m, "Node's own frames are left out");
  });

  test('prints no summary when nothing failed', async () => {
    const file = join(dir(), 'fine.test.mjs');
    writeFileSync(file, `import { describe, test } from 'node:test';\ntest('passes', () => {});\n`);
    const output = await runRunner(file);
    assert.match(output, /^# pass 1$/m);
    assert.doesNotMatch(output, /failing tests/);
  });
});

function failEvent(name: string, nesting: number, message: string) {
  return {
    type: 'test:fail',
    data: {
      name,
      nesting,
      file: join(ROOT, 'x.test.ts'),
      line: 1,
      column: 1,
      details: { error: { failureType: 'testCodeFailure', message, cause: new Error(message) } },
    },
  };
}

test('after ten failures with their errors, the rest are listed a line each', async () => {
  async function* events() {
    for (let i = 1; i <= 12; i++) yield failEvent(`case ${i}`, 0, `reason ${i}`);
    yield { type: 'test:plan', data: { nesting: 0, count: 12 } };
  }
  let output = '';
  for await (const chunk of failureSummary(events())) output += chunk;
  assert.match(output, /^# failing tests \(12\):/);
  for (let i = 1; i <= 12; i++) assert.match(output, new RegExp(`^# ✖ case ${i}\\n# {5}at x\\.test\\.ts:1:1$`, 'm'));
  assert.match(output, /Error: reason 10\n/);
  assert.doesNotMatch(output, /reason 11|reason 12/);
  assert.equal(output.split('# failing tests').length, 2, 'printed once');
});
