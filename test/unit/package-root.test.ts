/** src/apimachinery/package-root.ts: the folders kubemock ships are found from the package root. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT, packagePath } from '../../src/apimachinery/package-root.js';
import { MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { UI_DIR } from '../../src/http/dashboard/routes.js';
import { DESCRIPTOR_FILE } from '../../src/apimachinery/managed-fields/go-zero-values.js';

describe('package root', () => {
  it('is the folder of kubemock’s package.json, above src/', () => {
    assert.equal(join(PACKAGE_ROOT, '/'), fileURLToPath(new URL('../../', import.meta.url)));
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string };
    assert.equal(pkg.name, 'kubemock');
  });

  it('locates the shipped folders the server reads', () => {
    assert.equal(MIGRATIONS_DIR, packagePath('migrations'));
    assert.ok(existsSync(join(MIGRATIONS_DIR, '0001_create_objects.sql')));
    assert.ok(existsSync(join(UI_DIR, 'index.html')));
    assert.ok(existsSync(DESCRIPTOR_FILE));
  });
});
