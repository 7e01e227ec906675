/** goBase64Error: Go's base64.StdEncoding decode errors (the offsets Go reports), for []byte fields in JSON. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goBase64Error } from '../../src/apimachinery/go-base64.js';

test('valid standard base64 passes, with padding, newlines and non-zero trailing bits', () => {
  for (const ok of ['', 'AA==', 'AAE=', 'AAEC', 'aGVsbG8=', 'aGVs\r\nbG8=', 'AB==', 'AA=\n='])
    assert.equal(goBase64Error(ok), undefined, ok);
});

test('invalid input fails at the byte where Go gives up', () => {
  const cases: [string, number][] = [
    ['!!!!', 0],
    ['aGVsbG8', 4], // missing padding: the start of the short quantum
    ['AA', 0],
    ['A', 0],
    ['AAAAA', 4],
    ['A===', 1], // padding after one symbol
    ['AA=', 3], // the second "=" is missing at the end
    ['AA=A', 2], // the second "=" is something else
    ['AAA=A', 4], // data after the padding
    ['aGVs-G8=', 4], // URL alphabet
  ];
  for (const [input, at] of cases) assert.equal(goBase64Error(input), `illegal base64 data at input byte ${at}`, input);
});
