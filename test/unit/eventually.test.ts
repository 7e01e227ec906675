import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/eventually.js';

describe('waitFor', () => {
  it('returns the first value that is not false, retrying throws and false', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls === 1) throw new Error('not yet');
        if (calls === 2) return false;
        return `done after ${calls}`;
      },
      { intervalMs: 1 },
    );
    assert.equal(value, 'done after 3');
  });

  it('awaits async conditions', async () => {
    const started = Date.now();
    assert.equal(await waitFor(async () => Date.now() - started >= 30 && 'ok', { intervalMs: 5 }), 'ok');
  });

  it('throws the last failure, marked as a timeout, once the time is up', async () => {
    const started = Date.now();
    await assert.rejects(
      waitFor(() => assert.equal(1, 2), { timeoutMs: 60, intervalMs: 10 }),
      (err: Error) => {
        assert.equal(err.name, 'AssertionError');
        assert.match(err.message, /^waitFor: still failing after \d+ ms and \d+ attempts: /);
        return true;
      },
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 60 && elapsed < 1000, `took ${elapsed} ms`);
  });

  it('reports a condition that kept returning false', async () => {
    await assert.rejects(
      waitFor(() => false, { timeoutMs: 20, intervalMs: 5 }),
      /the condition returned false/,
    );
  });
});
