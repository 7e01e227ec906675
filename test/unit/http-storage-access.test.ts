/**
 * The HTTP layer reaches stored objects only through registry operations (the store's get, list,
 * watch; the registry's currentRevision): no file under src/http reads the registry's storage or
 * imports the object store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HTTP_DIR = fileURLToPath(new URL('../../src/http/', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('no file under src/http touches the registry storage or the object store', () => {
  const files = sourcesUnder(HTTP_DIR);
  assert.ok(files.length > 20, 'the HTTP sources are found');
  const offending = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${file.slice(HTTP_DIR.length)}:${i + 1}` }))
      .filter(({ line }) => /\.storage\b|storage\/object-store/.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
  assert.deepEqual(offending, []);
});
