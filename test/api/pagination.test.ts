import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const names = (items: { metadata: { name: string } }[]) => items.map((i) => i.metadata.name);

test('limit and continue page through a consistent snapshot while objects change', async (t) => {
  const { http } = await buildTestApp(t);
  for (let i = 0; i < 10; i++) await http.post(PODS).send(pod(`p${i}`));
  const first = await http.get(PODS).query({ limit: 4 });
  assert.deepEqual(names(first.body.items), ['p0', 'p1', 'p2', 'p3']);
  assert.equal(first.body.metadata.remainingItemCount, 6);
  const rv = first.body.metadata.resourceVersion;
  // Concurrent writes between pages: none of them may show up.
  await http.delete(`${PODS}/p5`);
  await http.post(PODS).send(pod('p45'));
  await http
    .patch(`${PODS}/p6`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { labels: { changed: 'yes' } } });
  const second = await http.get(PODS).query({ limit: 4, continue: first.body.metadata.continue });
  assert.deepEqual(names(second.body.items), ['p4', 'p5', 'p6', 'p7']);
  assert.equal(second.body.metadata.resourceVersion, rv, 'every page reports the snapshot revision');
  assert.equal(second.body.items[2].metadata.labels?.changed, undefined, 'p6 as it was at the snapshot');
  const third = await http.get(PODS).query({ limit: 4, continue: second.body.metadata.continue });
  assert.deepEqual(names(third.body.items), ['p8', 'p9']);
  assert.equal(third.body.metadata.continue, undefined);
  assert.equal(third.body.metadata.remainingItemCount, undefined);
  const fresh = await http.get(PODS);
  assert.ok(names(fresh.body.items).includes('p45') && !names(fresh.body.items).includes('p5'));
});

test('paging with a selector filters each page and gives no remainingItemCount', async (t) => {
  const { http } = await buildTestApp(t);
  for (let i = 0; i < 6; i++) await http.post(PODS).send(pod(`p${i}`, { even: String(i % 2 === 0) }));
  const page = await http.get(PODS).query({ limit: 2, labelSelector: 'even=true' });
  assert.deepEqual(names(page.body.items), ['p0', 'p2']);
  assert.ok(page.body.metadata.continue);
  assert.equal(page.body.metadata.remainingItemCount, undefined);
  const next = await http.get(PODS).query({ limit: 2, labelSelector: 'even=true', continue: page.body.metadata.continue });
  assert.deepEqual(names(next.body.items), ['p4']);
});

test('all-namespaces lists page in namespace order', async (t) => {
  const { http } = await buildTestApp(t);
  await http.post('/api/v1/namespaces').send({ metadata: { name: 'a-b' } });
  await http.post('/api/v1/namespaces/a-b/pods').send(pod('x'));
  await http.post('/api/v1/namespaces/default/pods').send(pod('y'));
  const one = await http.get('/api/v1/pods').query({ limit: 1 });
  const two = await http.get('/api/v1/pods').query({ limit: 1, continue: one.body.metadata.continue });
  assert.deepEqual([...names(one.body.items), ...names(two.body.items)], ['x', 'y']);
});

test('a continue token older than the retained window is 410 Expired; a malformed one is 400', async (t) => {
  const { http } = await buildTestApp(t, { retainedEvents: 5 });
  for (let i = 0; i < 5; i++) await http.post(PODS).send(pod(`p${i}`));
  const page = await http.get(PODS).query({ limit: 2 });
  for (let i = 0; i < 120; i++) await http.post(PODS).send(pod(`q${i}`));
  const expired = await http.get(PODS).query({ limit: 2, continue: page.body.metadata.continue });
  assert.equal(expired.status, 410);
  assert.equal(expired.body.reason, 'Expired');
  assert.match(expired.body.message, /^The provided continue parameter is too old to display a consistent list result\./);
  const bad = await http.get(PODS).query({ limit: 2, continue: 'not-a-token' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.reason, 'BadRequest');
});

test('get and list honour resourceVersion with resourceVersionMatch', async (t) => {
  // A revision from the future is waited for first (read-freshness.test.ts): briefly here.
  const { http } = await buildTestApp(t, { freshnessWaitMs: 50 });
  const created = await http.post(PODS).send(pod('a'));
  const rv = Number(created.body.metadata.resourceVersion);
  await http.post(PODS).send(pod('b'));
  const exact = await http.get(PODS).query({ resourceVersion: rv, resourceVersionMatch: 'Exact' });
  assert.deepEqual(names(exact.body.items), ['a']);
  assert.equal(exact.body.metadata.resourceVersion, String(rv));
  const notOlder = await http.get(PODS).query({ resourceVersion: rv, resourceVersionMatch: 'NotOlderThan' });
  assert.deepEqual(names(notOlder.body.items), ['a', 'b']);
  const future = await http.get(PODS).query({ resourceVersion: rv + 1000, resourceVersionMatch: 'NotOlderThan' });
  assert.equal(future.status, 504);
  assert.match(future.body.message, /^Timeout: Too large resource version: \d+, current: \d+$/);
  assert.equal(future.body.reason, 'Timeout');
  assert.deepEqual(future.body.details.causes, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
  const badMatch = await http.get(PODS).query({ resourceVersionMatch: 'Exact' });
  assert.equal(badMatch.status, 422, 'ValidateListOptions: an Invalid ListOptions');
  assert.equal(
    badMatch.body.message,
    'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
  );
  assert.deepEqual(badMatch.body.details, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
        field: 'resourceVersionMatch',
      },
    ],
  });
  const several = await http.get(PODS).query({ resourceVersionMatch: 'Bogus', continue: 'x', sendInitialEvents: 'true' });
  assert.equal(several.status, 422);
  assert.equal(
    several.body.message,
    'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list]',
  );
  const exactZero = await http.get(PODS).query({ resourceVersionMatch: 'Exact', resourceVersion: '0' });
  assert.equal(exactZero.status, 422);
  assert.match(exactZero.body.message, /resourceVersionMatch "exact" is forbidden for resourceVersion "0"$/);
  const badLimit = await http.get(PODS).query({ limit: 'ten' });
  assert.equal(badLimit.status, 400);
  assert.equal(badLimit.body.message, 'strconv.ParseInt: parsing "ten": invalid syntax');
  const emptyLimit = await http.get(`${PODS}?limit=`);
  assert.equal(emptyLimit.status, 400, 'an empty value is not an absent one');
  assert.equal(emptyLimit.body.message, 'strconv.ParseInt: parsing "": invalid syntax');
  const badTimeout = await http.get(PODS).query({ timeoutSeconds: '1.5' });
  assert.equal(badTimeout.status, 400);
  assert.equal(badTimeout.body.message, 'strconv.ParseInt: parsing "1.5": invalid syntax');
  const noPaging = await http.get(PODS).query({ limit: '-1' });
  assert.equal(noPaging.status, 200, 'a limit below one asks for no paging');
  assert.equal(noPaging.body.metadata.continue, undefined);
});
