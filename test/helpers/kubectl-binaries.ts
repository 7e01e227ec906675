/**
 * Where the kubectl binaries are: the one a shell would run, and the versioned ones the Google Cloud
 * SDK keeps beside it. No kubemock import, so that the bench can ask too without loading the app.
 */
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The `kubectl` that a shell would run: the first executable one on PATH. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'kubectl');
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
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
