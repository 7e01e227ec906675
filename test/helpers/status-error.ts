import assert from 'node:assert/strict';
import { isStatusError, type StatusError } from '../../src/apimachinery/status.js';

/** The Status error `fn` throws; fails the test when it returns or throws something else. */
export function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}
