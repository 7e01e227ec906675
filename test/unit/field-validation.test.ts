import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyReply } from 'fastify';
import { addWarnings, parseWriteQuery, warningHeaderValue, yamlWarnings } from '../../src/http/field-validation.js';
import { StatusError } from '../../src/apimachinery/status.js';

function fakeReply(initial?: string): { reply: FastifyReply; headers: () => string[] } {
  const store: Record<string, unknown> = initial ? { warning: initial } : {};
  const reply = {
    getHeader: (name: string) => store[name],
    header(name: string, value: unknown) {
      store[name] = value;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, headers: () => (store.warning as string[] | undefined) ?? [] };
}

function invalidMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    return e.message;
  }
  assert.fail('expected a 422');
}

describe('parseWriteQuery', () => {
  it('defaults: Warn, no dry run, no manager', () => {
    assert.deepEqual(parseWriteQuery({}, 'CreateOptions'), { fieldValidation: 'Warn', dryRun: false, fieldManager: '' });
  });

  it('reads every option, taking the first value of single-valued ones', () => {
    const q = parseWriteQuery(
      { fieldValidation: ['Ignore', 'Strict'], dryRun: 'All', fieldManager: 'kubectl', force: 'false' },
      'PatchOptions',
      'apply',
    );
    assert.deepEqual(q, { fieldValidation: 'Ignore', dryRun: true, fieldManager: 'kubectl', force: false });
    assert.equal(parseWriteQuery({ force: 'yes', fieldManager: 'm' }, 'PatchOptions', 'apply').force, true);
  });

  it('collects every invalid option in one 422', () => {
    assert.equal(
      invalidMessage(() => parseWriteQuery({ dryRun: ['All', 'Nope'], fieldValidation: 'warn', force: 'true' }, 'PatchOptions', 'merge')),
      'PatchOptions.meta.k8s.io "" is invalid: [force: Forbidden: may not be specified for non-apply patch, dryRun: Unsupported value: []string{"All", "Nope"}: supported values: "All", fieldValidation: Unsupported value: "warn": supported values: "", "Ignore", "Strict", "Warn"]',
    );
  });

  it('quotes dryRun values as Go does (%#v of a []string)', () => {
    assert.equal(
      invalidMessage(() => parseWriteQuery({ dryRun: ['All\u0001', 'All\u00a0'] }, 'CreateOptions')),
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All\\x01", "All\\u00a0"}: supported values: "All"',
    );
  });

  it('validates the field manager: required for apply, at most 128 bytes, printable', () => {
    assert.equal(
      invalidMessage(() => parseWriteQuery({}, 'PatchOptions', 'apply')),
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    assert.doesNotThrow(() => parseWriteQuery({ fieldManager: 'é'.repeat(64) }, 'UpdateOptions'));
    assert.equal(
      invalidMessage(() => parseWriteQuery({ fieldManager: 'é'.repeat(65) }, 'UpdateOptions')),
      'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    assert.equal(
      invalidMessage(() => parseWriteQuery({ fieldManager: 'éa\tb' }, 'CreateOptions')),
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "éa\\tb": invalid character U+0009 (at position 3)',
    );
  });
});

describe('warnings', () => {
  it('formats a Warning header value as net.NewWarningHeader', () => {
    assert.equal(warningHeaderValue('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
    assert.equal(warningHeaderValue('a\\b'), '299 - "a\\\\b"');
    assert.equal(warningHeaderValue('two\nlines'), undefined);
    assert.equal(Buffer.from(warningHeaderValue('Iñtërnâtiô')!, 'latin1').toString('utf8'), '299 - "Iñtërnâtiô"');
  });

  it('adds one header per distinct text, after headers already set', () => {
    const { reply, headers } = fakeReply('299 - "deprecated"');
    addWarnings(reply, ['a', 'b', 'a']);
    addWarnings(reply, ['b', 'c']);
    assert.deepEqual(headers(), ['299 - "deprecated"', '299 - "a"', '299 - "b"', '299 - "c"']);
  });

  it('past 4Ki runes, truncates every text to 256 runes and then stops', () => {
    const { reply, headers } = fakeReply();
    const long = (c: string) => c.repeat(1000);
    addWarnings(reply, [long('a'), long('b'), long('c'), long('d')]);
    assert.deepEqual(
      headers(),
      [long('a'), long('b'), long('c'), long('d')].map((t) => `299 - "${t}"`),
    );
    addWarnings(reply, [long('e'), 'short']);
    assert.deepEqual(headers(), ['a', 'b', 'c', 'd', 'e'].map((c) => `299 - "${c.repeat(256)}"`).concat('299 - "short"'));
    addWarnings(
      reply,
      Array.from({ length: 20 }, (_, i) => `${i}`.repeat(300)),
    );
    assert.equal(headers().length, 17, 'texts stop once 4Ki runes are written (the one crossing the line is kept)');
  });

  it('splits YAML strict errors into one warning per line', () => {
    assert.deepEqual(
      yamlWarnings(
        'error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "a" already set in map\n  line 2: key "b" already set in map',
      ),
      ['line 1: key "a" already set in map', 'line 2: key "b" already set in map'],
    );
    assert.deepEqual(yamlWarnings('other'), ['other']);
  });
});
