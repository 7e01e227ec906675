/**
 * Where the kubectl binaries are: the one a shell would run, and the versioned ones the Google Cloud
 * SDK keeps beside it. No kubemock import, so that the bench can ask too without loading the app.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isExecutableFile, onPath } from './executables.js';

/** The `kubectl` that a shell would run: the first executable one on PATH. */
export function findKubectl(): string | undefined {
  return onPath('kubectl').find(isExecutableFile);
}

/**
 * The versioned kubectl binaries (`kubectl.1.27` … `kubectl.1.33`) that the Google Cloud SDK keeps
 * in the folder of the real `kubectl` (after symlinks), oldest first.
 */
export function findKubectlVersions(): { version: string; path: string }[] {
  const kubectl = findKubectl();
  if (!kubectl) return [];
  const dir = dirname(realpathSync(kubectl));
  const found: { version: string; path: string; minor: number; major: number }[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^kubectl\.(\d+)\.(\d+)$/.exec(name);
    const path = join(dir, name);
    if (m && isExecutableFile(path)) found.push({ version: `${m[1]}.${m[2]}`, path, major: Number(m[1]), minor: Number(m[2]) });
  }
  found.sort((a, b) => a.major - b.major || a.minor - b.minor);
  return found.map(({ version, path }) => ({ version, path }));
}
