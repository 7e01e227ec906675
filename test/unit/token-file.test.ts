/** kube-apiserver's --token-auth-file as upstream's tokenfile.NewCSV reads it with Go's encoding/csv. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTokenFile, readCsvRecords } from '../../src/http/auth/token-file.js';
import { bearerToken } from '../../src/http/auth/authentication.js';

describe('readCsvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, skipping blank lines and reading CRLF as LF', () => {
    assert.deepEqual(readCsvRecords('a,b,c\r\n\r\n"x,y","say ""hi""","two\nlines"\nlast,,\n'), [
      ['a', 'b', 'c'],
      ['x,y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
    assert.deepEqual(readCsvRecords('no,newline,at end'), [['no', 'newline', 'at end']]);
  });

  it('refuses stray quotes as Go does', () => {
    assert.throws(() => readCsvRecords('a,b"c,d\n'), /bare " in non-quoted-field/);
    assert.throws(() => readCsvRecords('"abc"d,e\n'), /extraneous or missing " in quoted-field/);
    assert.throws(() => readCsvRecords('"never closed\n'), /extraneous or missing " in quoted-field/);
  });
});

describe('parseTokenFile', () => {
  it('maps each token to its user, uid and groups; extra columns are ignored', () => {
    const tokens = parseTokenFile('t1,alice,u1,"g1,g2"\nt2,bob,u2\nt3,carol,u3,solo,ignored\n', 'tokens.csv');
    assert.deepEqual(
      [...tokens.entries()],
      [
        ['t1', { username: 'alice', uid: 'u1', groups: ['g1', 'g2'] }],
        ['t2', { username: 'bob', uid: 'u2', groups: [] }],
        ['t3', { username: 'carol', uid: 'u3', groups: ['solo'] }],
      ],
    );
  });

  it('skips a record with an empty token, and a repeated token keeps its last record', () => {
    const tokens = parseTokenFile(',nobody,u0\nt,first,u1\nt,second,u2\n', 'tokens.csv');
    assert.deepEqual([...tokens.keys()], ['t']);
    assert.equal(tokens.get('t')?.username, 'second');
  });

  it('refuses a record of fewer than three columns, naming the file', () => {
    assert.throws(
      () => parseTokenFile('t1,alice,u1\nt2,bob\n', '/etc/tokens.csv'),
      /^Error: token file '\/etc\/tokens.csv' must have at least 3 columns \(token, user name, user uid\), found 2$/,
    );
  });
});

describe('bearerToken', () => {
  it('takes the token of an Authorization: Bearer header, case-insensitively, and nothing else', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('  bearer abc  '), 'abc');
    assert.equal(bearerToken('Basic dXNlcjpwYXNz'), undefined);
    assert.equal(bearerToken('Bearer'), undefined);
    assert.equal(bearerToken('Bearer  abc'), undefined, 'an empty token between two spaces is no token');
    assert.equal(bearerToken(undefined), undefined);
  });
});
