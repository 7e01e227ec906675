/**
 * The dashboard's files at /kubemock/ui/ (its behaviour in a browser is test/browser's): served
 * from ui/ beside the sources, the bare path redirected so the page's relative module URLs
 * resolve, kept out of the request journal like the rest of /kubemock/, and named in the banner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp } from '../helpers/build-app.js';
import { startCli } from '../helpers/cli.js';

test('GET /kubemock/ui redirects to /kubemock/ui/, which serves the page and its modules', async (t) => {
  const { http } = await buildTestApp(t);
  const bare = await http.get('/kubemock/ui');
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.location, '/kubemock/ui/');

  const page = await http.get('/kubemock/ui/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  const scripts = [...page.text.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ['app.js']);

  // Every module the page imports, and what they import, is there (no build step, no bundler).
  const seen = new Set<string>();
  const queue = ['app.js'];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const res = await http.get(`/kubemock/ui/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(res.headers['content-type'], /^(text|application)\/javascript/, file);
    for (const m of res.text.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)) queue.push(m[1]);
  }
  assert.ok(seen.size > 1, [...seen].join(', '));
  assert.equal((await http.get('/kubemock/ui/style.css')).status, 200);
});

test('a missing dashboard file is a 404 Status, and dashboard requests stay out of the journal', async (t) => {
  const { http, kubemock } = await buildTestApp(t);
  const missing = await http.get('/kubemock/ui/nope.js');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.kind, 'Status');
  await http.get('/kubemock/ui/');
  await http.get('/kubemock/ui/../package.json').then((res) => assert.notEqual(res.status, 200));
  await http.get('/api/v1/namespaces');
  assert.deepEqual(
    kubemock.control.journal.entries({}).map((e) => e.path),
    ['/api/v1/namespaces'],
  );
});

test('the start-up banner names the dashboard URL', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-dash-'));
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir, 'kc'), '--nodes', '0', '--log-level', 'silent']);
  t.after(() => cli.stop());
  const line = /^dashboard: (\S+)$/m.exec(cli.stdout());
  assert.ok(line, cli.stdout());
  assert.equal(line[1], `${cli.url}/kubemock/ui/`);
  const res = await fetch(line[1]);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<table id="grid">/);
});

test('with authentication on, the page loads without credentials and the banner gives the token its API requests send', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-dash-auth-'));
  const args = ['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir, 'kc'), '--nodes', '1', '--log-level', 'silent', '--auth'];
  const cli = await startCli(args);
  t.after(() => cli.stop());
  const line = /^dashboard: (\S+)#token=([\w-]+)$/m.exec(cli.stdout());
  assert.ok(line, cli.stdout());
  assert.equal(line[1], `${cli.url}/kubemock/ui/`);
  const bearer = { authorization: `Bearer ${line[2]}` };
  // The page and its scripts: static files, no cluster data, no credentials needed.
  assert.equal((await fetch(line[1])).status, 200);
  assert.equal((await fetch(`${line[1]}credentials.js`)).status, 200);
  assert.equal((await fetch(`${cli.url}/kubemock/ui`, { redirect: 'manual' })).status, 301);
  // The cluster: anonymous is refused, the token reads, watches and acts as the dashboard does.
  assert.equal((await fetch(`${cli.url}/api/v1/nodes`)).status, 403);
  assert.equal((await fetch(`${cli.url}/kubemock/v1/journal`)).status, 403);
  const list = await fetch(`${cli.url}/api/v1/nodes`, { headers: bearer });
  assert.equal(list.status, 200);
  const rv = ((await list.json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const watch = await fetch(`${cli.url}/api/v1/nodes?watch=1&resourceVersion=${rv}&timeoutSeconds=1`, { headers: bearer });
  assert.equal(watch.status, 200);
  await watch.text();
  const added = await fetch(`${cli.url}/kubemock/v1/nodes`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ count: 2 }),
  });
  assert.ok(added.ok, `${added.status} ${await added.text()}`);
  assert.equal((await fetch(`${cli.url}/api/v1/nodes`, { headers: { authorization: 'Bearer not-the-token' } })).status, 401);
});
