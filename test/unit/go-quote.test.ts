/** goQuote is Go's strconv.Quote (fmt's %q of a string), which JSON.stringify does not always match. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote } from '../../src/apimachinery/go-quote.js';

describe('goQuote (strconv.Quote)', () => {
  it('keeps printable text, escaping only the quote and the backslash', () => {
    assert.equal(goQuote(''), '""');
    assert.equal(goQuote('conf/app.yaml'), '"conf/app.yaml"');
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('é 日本 😀'), '"é 日本 😀"');
  });

  it('escapes control characters as Go does: short forms, else \\x', () => {
    assert.equal(goQuote('\x07\b\f\n\r\t\v'), '"\\a\\b\\f\\n\\r\\t\\v"');
    assert.equal(goQuote('\x01\x1b\x7f'), '"\\x01\\x1b\\x7f"');
  });

  it('escapes other non-printing characters as \\u or \\U', () => {
    assert.equal(goQuote('a\u00a0b'), '"a\\u00a0b"');
    assert.equal(goQuote('\u200b\u2028\ue000'), '"\\u200b\\u2028\\ue000"');
    assert.equal(goQuote('\u{f0000}'), '"\\U000f0000"');
  });

  it('shows a lone surrogate as U+FFFD, as Go decodes it', () => {
    assert.equal(goQuote('x\ud800y'), '"x\ufffdy"');
  });
});
