import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJson, stringifyGo } from '../../src/apimachinery/go-json.js';

test('strings are escaped as Go encoding/json escapes them; everything else is untouched', () => {
  assert.equal(stringifyGo({ cmd: 'a && b <x> \u2028\u2029' }), '{"cmd":"a \\u0026\\u0026 b \\u003cx\\u003e \\u2028\\u2029"}');
  assert.equal(stringifyGo({ plain: 'nginx:1.27', n: 1 }), '{"plain":"nginx:1.27","n":1}');
  assert.deepEqual(JSON.parse(stringifyGo({ s: '<&>' })), { s: '<&>' }, 'the value decodes to the same string');
  const once = goJson('{"a":"<"}');
  assert.equal(goJson(once), once, 'escaping twice changes nothing');
});

test('each escaped character alone is found and escaped', () => {
  const expected: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
  for (const [c, escaped] of Object.entries(expected)) {
    assert.equal(stringifyGo({ s: `x${c}y` }), `{"s":"x${escaped}y"}`, JSON.stringify(c));
  }
});
