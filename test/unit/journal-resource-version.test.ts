/**
 * The journal's note of the resourceVersion a response carried (src/http/control/journal.ts):
 * the first one of a JSON body (the object's, or the list's own), whether the body is text or
 * bytes, of a YAML body, and none of a protobuf body or of a body that has none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceVersionOf } from '../../src/http/control/journal.js';

const pod = '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"42","annotations":{"é":"ü"}}}';
const list = '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"77"},"items":[{"metadata":{"resourceVersion":"5"}}]}';

describe('journal resourceVersionOf', () => {
  it('reads the first resourceVersion of a JSON body, as text or as bytes', () => {
    assert.equal(resourceVersionOf(pod), '42');
    assert.equal(resourceVersionOf(Buffer.from(pod)), '42');
    assert.equal(resourceVersionOf(list), '77');
    assert.equal(resourceVersionOf(Buffer.from(list)), '77');
  });

  it('finds it in the first 64 KiB of a large body, not beyond', () => {
    const big = `{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[${'{"x":1},'.repeat(20_000)}{}]}`;
    assert.equal(resourceVersionOf(Buffer.from(big)), '9');
    const late = `{"items":[${'{"x":1},'.repeat(20_000)}{"metadata":{"resourceVersion":"3"}}]}`;
    assert.equal(resourceVersionOf(Buffer.from(late)), undefined);
  });

  it('reads a YAML body, and nothing of protobuf, empty or resourceVersion-less bodies', () => {
    assert.equal(resourceVersionOf(Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  resourceVersion: "12"\n')), '12');
    assert.equal(resourceVersionOf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a])), undefined);
    assert.equal(resourceVersionOf(Buffer.alloc(0)), undefined);
    assert.equal(resourceVersionOf(''), undefined);
    assert.equal(resourceVersionOf(Buffer.from('{"kind":"Status","code":404}')), undefined);
    assert.equal(resourceVersionOf(undefined), undefined);
  });
});
