import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupRows, type LogRowMeta } from '../../src/storage/group-rows.js';

const meta = (rv: number): LogRowMeta => [rv, 'pods', 'default', `p${rv}`, 'ADDED', null];

/** Each row's body as the writer thread reads it: its chunk, from its start to its end. */
function handedOver(rows: GroupRows): string[] {
  const { rows: metas, places, chunks } = rows.handOver();
  return metas.map((_, i) =>
    new TextDecoder().decode(new Uint8Array(chunks[places[3 * i]], places[3 * i + 1], places[3 * i + 2] - places[3 * i + 1])),
  );
}

test('bodies are read back exactly, by revision and as handed over: many across chunks, one larger than a chunk, ones not ASCII', () => {
  const rows = new GroupRows();
  const bodies: string[] = [];
  // Enough small bodies to fill several chunks, then one too large for any, then text of two to four bytes a character.
  for (let i = 0; i < 400; i++) bodies.push(JSON.stringify({ i, pad: 'x'.repeat(500) }));
  bodies.push(JSON.stringify({ big: 'y'.repeat(200_000) }));
  bodies.push(JSON.stringify({ note: 'naïve — 日本語 🚀'.repeat(3000) }));
  bodies.push(JSON.stringify({ after: 'z' }));
  bodies.forEach((b, i) => rows.add(meta(i + 10), b));
  assert.equal(rows.length, bodies.length);
  assert.equal(rows.firstRevision, 10);
  bodies.forEach((b, i) => assert.equal(rows.bodyOf(i + 10), b, `row ${i}`));
  assert.equal(rows.bodyOf(9), undefined, 'not one of these');
  assert.deepEqual(handedOver(rows), bodies);
  assert.ok(rows.handOver().chunks.length > 3, 'several chunks');
});

test('a body not ASCII that does not fit the room left for its characters is encoded again in a chunk of its own', () => {
  const rows = new GroupRows();
  // 8 KB first chunk: 7,000 ASCII bytes leave ~1,200, enough for 600 characters as ASCII but not as three bytes each.
  const first = 'a'.repeat(7000);
  const wide = '日'.repeat(600);
  rows.add(meta(1), first);
  rows.add(meta(2), wide);
  rows.add(meta(3), 'b');
  assert.deepEqual([rows.bodyOf(1), rows.bodyOf(2), rows.bodyOf(3)], [first, wide, 'b']);
  assert.deepEqual(handedOver(rows), [first, wide, 'b']);
});
