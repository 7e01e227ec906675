/**
 * The official Python Kubernetes client (the `kubernetes` package) as a second client family: which
 * interpreter can import it, and the skip-or-fail rule for machines without it (as kubectl.ts has
 * for kubectl, with PYTHON_CLIENT_REQUIRED=1 in place of KUBECTL_REQUIRED=1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export interface PythonClient {
  /** The interpreter, as given (a path, or a name looked up on PATH). */
  python: string;
  pythonVersion: string;
  kubernetesVersion: string;
}

const PROBE = 'import sys, kubernetes; print(sys.version.split()[0], kubernetes.__version__)';

/** The interpreters to try, in order: $KUBEMOCK_PYTHON, then `python3` on PATH, then /usr/bin/python3. */
export function pythonCandidates(): string[] {
  const list = [process.env.KUBEMOCK_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  return [...new Set(list)];
}

/** The first candidate that can `import kubernetes`, and what each one that could not said. */
export function findPythonClient(candidates = pythonCandidates()): { found?: PythonClient; tried: string[] } {
  const tried: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 30_000 });
    const [pythonVersion, kubernetesVersion] = (probe.stdout ?? '').trim().split(/\s+/);
    if (probe.status === 0 && pythonVersion && kubernetesVersion) return { found: { python, pythonVersion, kubernetesVersion }, tried };
    const why = probe.error ? probe.error.message : (probe.stderr ?? '').trim().split('\n').pop() || `exit ${probe.status}`;
    tried.push(`${python}: ${why}`);
  }
  return { tried };
}

/**
 * The interpreter with the client, or undefined after skipping the test (the caller returns). With
 * PYTHON_CLIENT_REQUIRED=1 (as in CI) a missing client fails the test instead.
 */
export function pythonClientOrSkip(t: Pick<TestContext, 'skip'>, candidates = pythonCandidates()): PythonClient | undefined {
  const { found, tried } = findPythonClient(candidates);
  if (found) return found;
  const why =
    `no Python interpreter can import the official Kubernetes client (tried ${tried.join('; ')}); ` +
    'install it with `apt-get install python3-kubernetes` (Debian, Ubuntu) or `pip install kubernetes`, ' +
    'or point KUBEMOCK_PYTHON at an interpreter that has it';
  if (process.env.PYTHON_CLIENT_REQUIRED === '1') {
    assert.fail(`${why}. PYTHON_CLIENT_REQUIRED=1 makes this a failure: install it or unset PYTHON_CLIENT_REQUIRED.`);
  }
  t.skip(why);
  return undefined;
}
