/** A temporary folder for the tests of one describe block. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

/** Makes a folder (`prefix` + random) before the block's tests and removes it after them; the getter gives its path. */
export function useTempDir(prefix: string): () => string {
  let dir: string | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('the temporary folder is made before the tests run');
    return dir;
  };
}
