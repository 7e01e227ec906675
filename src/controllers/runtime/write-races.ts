/**
 * A controller's write that lost a race: the object is gone (404) or was written by someone else
 * first (409). Neither is an error for a level-triggered reconciler: the watch brings the key back
 * with the newer state, or there is nothing left to do.
 */
import { StatusError } from '../../apimachinery/status.js';

export function isWriteRace(e: unknown): boolean {
  return e instanceof StatusError && (e.code === 404 || e.code === 409);
}

/** Runs `write`, swallowing a lost race (see isWriteRace); anything else is thrown. */
export function ignoringWriteRaces(write: () => void): void {
  try {
    write();
  } catch (e) {
    if (!isWriteRace(e)) throw e;
  }
}
