/** The rule that decides whether the Python client tests run, skip or fail (test/helpers/python.ts). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pythonCandidates, pythonClientOrSkip } from '../helpers/python.js';

const MISSING = '/nonexistent/kubemock-test/python3';

describe('the Python client helper', () => {
  let saved: { required?: string; python?: string };
  beforeEach(() => {
    saved = { required: process.env.PYTHON_CLIENT_REQUIRED, python: process.env.KUBEMOCK_PYTHON };
  });
  afterEach(() => {
    for (const [name, value] of [
      ['PYTHON_CLIENT_REQUIRED', saved.required],
      ['KUBEMOCK_PYTHON', saved.python],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('tries $KUBEMOCK_PYTHON, then python3, then /usr/bin/python3', () => {
    process.env.KUBEMOCK_PYTHON = '/opt/py/bin/python3';
    assert.deepEqual(pythonCandidates(), ['/opt/py/bin/python3', 'python3', '/usr/bin/python3']);
    delete process.env.KUBEMOCK_PYTHON;
    assert.deepEqual(pythonCandidates(), ['python3', '/usr/bin/python3']);
  });

  it('skips, saying how to install the client, when no interpreter can import it', () => {
    delete process.env.PYTHON_CLIENT_REQUIRED;
    const skipped: string[] = [];
    const found = pythonClientOrSkip({ skip: (message?: string) => void skipped.push(message ?? '') }, [MISSING]);
    assert.equal(found, undefined);
    assert.equal(skipped.length, 1);
    assert.match(skipped[0], new RegExp(`tried ${MISSING}: `));
    assert.match(skipped[0], /apt-get install python3-kubernetes/);
  });

  it('fails instead with PYTHON_CLIENT_REQUIRED=1', () => {
    process.env.PYTHON_CLIENT_REQUIRED = '1';
    const skipped: string[] = [];
    assert.throws(
      () => pythonClientOrSkip({ skip: (message?: string) => void skipped.push(message ?? '') }, [MISSING]),
      /PYTHON_CLIENT_REQUIRED=1 makes this a failure/,
    );
    assert.deepEqual(skipped, []);
  });
});
