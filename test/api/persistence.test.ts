import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp } from '../helpers/build-app.js';

test('everything survives a restart on the same file and resourceVersions keep increasing', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'kubemock-')), 'kubemock.db');
  const first = await buildTestApp(undefined, { db });
  const created = await first.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({
    metadata: { name: 'keep' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });
  assert.equal(created.status, 201);
  await first.http.post('/api/v1/namespaces').send({ metadata: { name: 'team' } });
  const before = await first.http.get('/api/v1/namespaces');
  await first.kubemock.close();

  const second = await buildTestApp(undefined, { db });
  try {
    const got = await second.http.get('/apis/apps/v1/namespaces/default/daemonsets/keep');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);
    const after = await second.http.get('/api/v1/namespaces');
    assert.deepEqual(after.body.items, before.body.items, 'no namespace re-created at restart');
    assert.equal(after.body.metadata.resourceVersion, before.body.metadata.resourceVersion);
    const next = await second.http.post('/api/v1/namespaces').send({ metadata: { name: 'later' } });
    assert.ok(Number(next.body.metadata.resourceVersion) > Number(before.body.metadata.resourceVersion));
  } finally {
    await second.kubemock.close();
  }
});
