/**
 * Group commit seen from a client: a write's reply comes only once the write is in the database
 * file (a second connection to it stands for what a crash would leave), and a failed write in
 * the same turn leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/storage/database.js';
import { ObjectStore } from '../../src/storage/object-store.js';
import { buildTestApp } from '../helpers/build-app.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

test('a write is answered only once it is durable; a conflicting write in the same turn changes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-durable-'));
  const file = join(dir, 'kubemock.db');
  const { kubemock } = await buildTestApp(t, { db: file });
  const other = openDatabase(file);
  t.after(() => {
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // What a store opened on the file now would find (the objects table may lag the log: it reads the rest back).
  const stored = (name: string) => new ObjectStore(other).get('configmaps', 'default', name);
  const post = (name: string) =>
    kubemock.fastify.inject({
      method: 'POST',
      url: CONFIGMAPS,
      payload: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } },
    });
  // Two creates of one name and one of another, sent in the same turn.
  const [a, again, b] = await Promise.all([post('a'), post('a'), post('b')]);
  assert.deepEqual([a.statusCode, again.statusCode, b.statusCode].sort(), [201, 201, 409]);
  for (const name of ['a', 'b']) {
    const reply = [a, again, b].find((r) => r.statusCode === 201 && r.json().metadata.name === name)!;
    assert.equal(stored(name)?.rv, Number(reply.json().metadata.resourceVersion));
  }
  const got = await kubemock.fastify.inject({ method: 'GET', url: `${CONFIGMAPS}/a` });
  assert.equal(got.statusCode, 200);
});
