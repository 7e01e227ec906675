/**
 * The official Python Kubernetes client against a listening kubemock: runs the unittest cases in
 * test/python/test_*.py (through run_tests.py, one JSON line per case) with KUBECONFIG pointing at
 * a kubemock on a free loopback port and an in-memory database, and reports each case as a subtest
 * of its own with its traceback.
 *
 * The server has a manual clock (the Python tests move it through the control API, so nothing
 * waits on the wall clock), the tutorial's four nodes, and a short revision history so that a
 * resourceVersion can be made too old (410) in a few hundred writes.
 *
 * Without an interpreter that can import `kubernetes` the test is skipped, unless
 * PYTHON_CLIENT_REQUIRED=1 (CI), which makes it a failure. KUBEMOCK_PYTHON picks the interpreter;
 * KUBEMOCK_PYTHON_TESTS (unittest names, space-separated) runs some cases only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { startServer } from '../helpers/kubectl.js';
import { pythonClientOrSkip } from '../helpers/python.js';

const RUNNER = fileURLToPath(new URL('./run_tests.py', import.meta.url));
const TUTORIAL_CLUSTER = fileURLToPath(new URL('../fixtures/tutorial-cluster.yaml', import.meta.url));
/** Revision-log rows the server keeps; the Python tests read it from KUBEMOCK_TEST_HISTORY. */
const HISTORY = 200;
const RUN_TIMEOUT_MS = 180_000;
const MARK = '@@kubemock-python-test ';

interface CaseResult {
  id: string;
  status: 'pass' | 'fail' | 'error' | 'skip';
  ms: number;
  doc?: string;
  message?: string;
}

interface PythonRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  results: CaseResult[];
  /** Everything else the run printed (stdout lines without the marker, and stderr). */
  output: string;
}

function runPythonTests(python: string, env: NodeJS.ProcessEnv, names: string[]): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [RUNNER, ...names], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const results: CaseResult[] = [];
    let output = '';
    let pending = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(MARK)) results.push(JSON.parse(line.slice(MARK.length)) as CaseResult);
        else output += `${line}\n`;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${python} ${RUNNER}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, results, output: output + pending });
    });
  });
}

test('the official Python client (test/python) against kubemock', async (t) => {
  const client = pythonClientOrSkip(t);
  if (!client) return;
  t.diagnostic(`${client.python}: Python ${client.pythonVersion}, kubernetes ${client.kubernetesVersion}`);

  const server = await startServer({ app: { clock: new ManualClock(), fixtures: TUTORIAL_CLUSTER, retainedEvents: HISTORY } });
  let run: PythonRun;
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: server.kubeconfigPath,
      KUBEMOCK_TEST_HISTORY: String(HISTORY),
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    };
    const names = (process.env.KUBEMOCK_PYTHON_TESTS ?? '').split(/\s+/).filter(Boolean);
    run = await runPythonTests(client.python, env, names);
  } finally {
    await server.stop();
  }

  if (run.output.trim()) t.diagnostic(`the Python test run printed:\n${run.output.trimEnd()}`);
  for (const r of run.results) {
    await t.test(r.id, (st) => {
      if (r.status === 'skip') return void st.skip(r.message);
      if (r.status !== 'pass') assert.fail(`${r.status === 'error' ? 'error' : 'failed'}${r.doc ? ` (${r.doc})` : ''}\n${r.message ?? ''}`);
    });
  }
  const ended = run.timedOut ? `was killed after ${RUN_TIMEOUT_MS} ms` : run.signal ? `died by ${run.signal}` : `exited ${run.code}`;
  assert.ok(run.results.length > 0, `the Python test run reported no test case; it ${ended}\n${run.output}`);
  const failed = run.results.filter((r) => r.status === 'fail' || r.status === 'error').length;
  assert.ok(!run.timedOut && run.signal === null, `the Python test run ${ended}\n${run.output}`);
  assert.equal(run.code, failed ? 1 : 0, `the Python test run ${ended} with ${failed} failing cases\n${run.output}`);
});
