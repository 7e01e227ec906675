/**
 * The package's root folder, where package.json and the shipped folders (migrations/, proto/, ui/,
 * openapi/) are. Code finds them from here rather than from its own file's depth, which differs
 * between the sources (src/storage/migrate.ts, run with tsx) and the bundle (dist/main.js or a
 * chunk beside it): the root is the nearest folder upwards that holds a package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function nearestPackageFolder(start: string): string {
  for (let dir = start; ;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`kubemock: no package.json above ${start}`);
    dir = up;
  }
}

export const PACKAGE_ROOT = nearestPackageFolder(dirname(fileURLToPath(import.meta.url)));

/** A path under the package's root: packagePath('migrations') → /…/kubemock/migrations. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
