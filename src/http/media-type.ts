/** Accept-header parsing shared by discovery and resource content negotiation. */
export interface MediaRange {
  type: string; // lower-cased `type/subtype`
  params: Map<string, string>; // lower-cased names, unquoted values
}

/** Pieces of `text` between unquoted `sep` characters (quoted strings may hold separators). */
function splitUnquoted(text: string, sep: ',' | ';'): string[] {
  const re = sep === ',' ? /(?:[^,"]|"(?:[^"\\]|\\.)*"?)+/g : /(?:[^;"]|"(?:[^"\\]|\\.)*"?)+/g;
  return text.match(re) ?? [];
}

/** Parse an Accept header into media ranges: type lower-cased, parameter names lower-cased, values unquoted. */
export function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const entry of splitUnquoted(accept, ',')) {
    const [type = '', ...rawParams] = splitUnquoted(entry, ';');
    if (!type.includes('/')) continue;
    const params = new Map<string, string>();
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      let value = p.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      params.set(p.slice(0, eq).trim().toLowerCase(), value);
    }
    ranges.push({ type: type.trim().toLowerCase(), params });
  }
  return ranges;
}
