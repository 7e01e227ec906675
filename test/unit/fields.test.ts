import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFieldsSupported,
  escapeFieldValue,
  parseFieldSelector,
  unescapeFieldValue,
  type FieldRequirement,
} from '../../src/apimachinery/fields.js';
import { StatusError } from '../../src/apimachinery/status.js';

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail('expected a 400');
}

describe('parseFieldSelector requirements', () => {
  const cases: [string, FieldRequirement[]][] = [
    ['', []],
    [',', []],
    ['metadata.name=foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }]],
    ['metadata.name==foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }]],
    ['status.phase!=Running', [{ field: 'status.phase', operator: '!=', value: 'Running' }]],
    ['spec.nodeName=', [{ field: 'spec.nodeName', operator: '=', value: '' }]],
    // terms come back sorted, as upstream sorts them before parsing
    [
      'spec.nodeName=n1,metadata.namespace!=kube-system',
      [
        { field: 'metadata.namespace', operator: '!=', value: 'kube-system' },
        { field: 'spec.nodeName', operator: '=', value: 'n1' },
      ],
    ],
    ['a=b\\,c', [{ field: 'a', operator: '=', value: 'b,c' }]],
    ['a=b\\=c', [{ field: 'a', operator: '=', value: 'b=c' }]],
    ['a=b\\\\c', [{ field: 'a', operator: '=', value: 'b\\c' }]],
    ['a!=\\,', [{ field: 'a', operator: '!=', value: ',' }]],
    [' a = b ', [{ field: ' a ', operator: '=', value: ' b ' }]],
  ];
  for (const [sel, reqs] of cases) {
    it(JSON.stringify(sel), () => {
      const s = parseFieldSelector(sel);
      assert.deepEqual(s.requirements, reqs);
      assert.equal(s.empty, reqs.length === 0);
    });
  }
});

describe('parseFieldSelector matching', () => {
  const pod = { 'metadata.name': 'web-1', 'spec.nodeName': 'node-a', 'status.phase': 'Running' };
  const unscheduled = { 'metadata.name': 'web-2', 'spec.nodeName': '', 'status.phase': 'Pending' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', pod, true],
    ['metadata.name=web-1', pod, true],
    ['metadata.name=web-2', pod, false],
    ['spec.nodeName=', pod, false],
    ['spec.nodeName=', unscheduled, true],
    ['spec.nodeName!=', pod, true],
    ['spec.nodeName!=', unscheduled, false],
    ['status.phase!=Running', pod, false],
    ['status.phase!=Running', unscheduled, true],
    ['spec.nodeName=node-a,status.phase=Running', pod, true],
    ['spec.nodeName=node-a,status.phase=Pending', pod, false],
    // a field the object does not report is ""
    ['spec.missing=', pod, true],
    ['spec.missing!=x', pod, true],
    ['spec.missing=x', pod, false],
  ];
  for (const [sel, fields, want] of cases) {
    it(`${JSON.stringify(sel)} on ${fields['metadata.name']} → ${want}`, () => {
      assert.equal(parseFieldSelector(sel).matches(fields), want);
    });
  }
});

describe('requiredValue and toString', () => {
  it('gives the value of an = term only', () => {
    const s = parseFieldSelector('spec.nodeName==n1,status.phase!=Failed');
    assert.equal(s.requiredValue('spec.nodeName'), 'n1');
    assert.equal(s.requiredValue('status.phase'), undefined);
    assert.equal(s.requiredValue('metadata.name'), undefined);
    assert.equal(parseFieldSelector('spec.nodeName=').requiredValue('spec.nodeName'), '');
  });
  it('re-escapes values', () => {
    assert.equal(parseFieldSelector('b!=x,a=1\\,2').toString(), 'a=1\\,2,b!=x');
  });
});

describe('parse errors', () => {
  const cases: [string, string][] = [
    ['foo', "invalid selector: 'foo'; can't understand 'foo'"],
    ['a=b,foo', "invalid selector: 'a=b,foo'; can't understand 'foo'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [sel, msg] of cases) {
    it(JSON.stringify(sel), () =>
      assert.equal(
        badRequestMessage(() => parseFieldSelector(sel)),
        msg,
      ),
    );
  }
});

describe('escaping helpers', () => {
  for (const raw of ['plain', 'a,b', 'a=b', 'a\\b', '\\,=']) {
    it(`round-trips ${JSON.stringify(raw)}`, () => assert.equal(unescapeFieldValue(escapeFieldValue(raw)), raw));
  }
});

describe('checkFieldsSupported', () => {
  const supported = new Set(['metadata.name', 'metadata.namespace', 'spec.nodeName']);
  it('accepts supported fields', () => {
    assert.doesNotThrow(() => checkFieldsSupported(parseFieldSelector('spec.nodeName=a,metadata.name!=b'), supported));
    assert.doesNotThrow(() => checkFieldsSupported(parseFieldSelector(''), supported));
  });
  it('rejects the first unsupported field (in sorted order)', () => {
    const msg = badRequestMessage(() => checkFieldsSupported(parseFieldSelector('z.foo=1,spec.bar=2,metadata.name=x'), supported));
    assert.equal(msg, 'field label not supported: spec.bar');
  });
});
