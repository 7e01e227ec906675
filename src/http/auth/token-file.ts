/**
 * The static token file of kube-apiserver's --token-auth-file: CSV records `token,user,uid` with
 * an optional fourth column of comma-separated groups (quoted, as CSV quotes a field holding
 * commas); further columns are ignored, a record with an empty token is skipped and a repeated
 * token keeps its last record, as upstream's tokenfile.NewCSV reads it with Go's encoding/csv.
 */
import type { UserInfo } from '../../apimachinery/user-info.js';

/**
 * The records of a CSV text as Go's csv.Reader returns them with any number of fields per record:
 * blank lines skipped, `\r\n` read as `\n`, quoted fields (which may hold commas, newlines and
 * doubled quotes), and its errors for a stray quote.
 */
export function readCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  const src = text.replace(/\r\n/g, '\n');
  let i = 0;
  let line = 1;
  while (i < src.length) {
    if (src[i] === '\n') {
      i++;
      line++;
      continue;
    }
    const record: string[] = [];
    const recordLine = line;
    for (;;) {
      let value = '';
      const column = i - src.lastIndexOf('\n', i - 1);
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length)
            throw new Error(
              `record on line ${recordLine}; parse error on line ${line}, column ${column}: extraneous or missing " in quoted-field`,
            );
          const c = src[i];
          if (c === '"' && src[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (c === '"') {
            i++;
            if (i < src.length && src[i] !== ',' && src[i] !== '\n') {
              throw new Error(
                `record on line ${recordLine}; parse error on line ${line}, column ${i - src.lastIndexOf('\n', i - 1)}: extraneous or missing " in quoted-field`,
              );
            }
            break;
          } else {
            if (c === '\n') line++;
            value += c;
            i++;
          }
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n') {
          if (src[i] === '"')
            throw new Error(`parse error on line ${line}, column ${i - src.lastIndexOf('\n', i - 1)}: bare " in non-quoted-field`);
          value += src[i];
          i++;
        }
      }
      record.push(value);
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

/** The users of a token file by token; `path` names the file in errors, as upstream's do. */
export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const record of readCsvRecords(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    const [token, username, uid] = record as [string, string, string];
    if (token === '') continue;
    const user: UserInfo = { username, uid, groups: record.length >= 4 ? record[3].split(',') : [] };
    tokens.set(token, user);
  }
  return tokens;
}
