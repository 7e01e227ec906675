import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 20 ms). */
  intervalMs?: number;
}

/**
 * Calls `fn` until it neither throws nor returns `false`, and returns what it returned: for
 * assertions on state that a controller reaches in its own time. On timeout it throws the last
 * error (its message prefixed with the wait), so an assertion's diff is kept.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<Exclude<T, false>> {
  const { timeoutMs = 5000, intervalMs = 20 } = opts;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    let failure: unknown;
    try {
      const value = await fn();
      if (value !== false) return value as Exclude<T, false>;
      failure = new Error('the condition returned false');
    } catch (err) {
      failure = err;
    }
    const now = Date.now();
    if (now >= deadline) {
      const prefix = `waitFor: still failing after ${now - started} ms and ${attempts} attempts: `;
      if (failure instanceof Error) {
        failure.message = prefix + failure.message;
        throw failure;
      }
      throw new Error(prefix + String(failure));
    }
    await sleep(Math.min(intervalMs, deadline - now));
  }
}
