/**
 * The descriptor's `goJson` table (which Go struct fields are always written, see
 * go-zero-values.ts), read from proto/descriptor.json. `npm run build` replaces this file in its
 * bundles by the table itself (scripts/bundle.ts, `goJsonTableInBundle`): reading and parsing the
 * whole descriptor (350 KB, most of it protobuf messages a start does not use) was about a tenth
 * of a fresh process's first start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import type { GoJsonField } from './go-zero-values.js';

export function readGoJsonTable(): Record<string, Record<string, GoJsonField>> {
  const file = join(packagePath('proto'), 'descriptor.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { goJson: Record<string, Record<string, GoJsonField>> }).goJson;
}
