/**
 * Go's fmt rendering of decoded JSON values (map[string]interface{}, []interface{}, int64,
 * float64, string, bool, nil), for the error texts that upstream builds with %v / %+v / %s.
 */

/**
 * Go's %v of a float64 (strconv's 'g' with the shortest digits): the exponent form, `e` and a
 * signed exponent of two digits or more, when the decimal exponent is below -4 or at least 6
 * (so 1234567.5 is 1.2345675e+06 and 0.00001 is 1e-05), plain digits otherwise.
 */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  // Between 1e-4 and 1e6 JavaScript's own shortest text is plain digits too.
  if (exp >= -4 && exp < 6) return String(n);
  const digits = String(Math.abs(exp)).padStart(2, '0');
  return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
}

/** A decoded JSON number as Go holds it: an int64 when it is a safe integer, else a float64. */
export function goNumber(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : goFloat(n);
}

/** fmt.Sprintf("%v", v) (and %+v, which is the same for these types). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `map[${keys.map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** reflect.TypeOf(v).String() for a decoded JSON value; `%!s(<nil>)` as %s prints a nil type. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isSafeInteger(v) ? 'int64' : 'float64';
    case 'object':
      return 'map[string]interface {}';
    default:
      return typeof v;
  }
}

/**
 * metav1.Time's (and MicroTime's) String(), as %v prints a decoded time in an error:
 * `2006-01-02 15:04:05.999999999 +0000 UTC`, the fraction as the RFC 3339 text gave it less its
 * trailing zeros; Go's zero time for a value that is unset or unreadable.
 */
export function goTimeString(v: unknown): string {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const fraction = (/\.(\d+)/.exec(v as string)?.[1] ?? '').replace(/0+$/, '');
  const [date, clock] = new Date(ms).toISOString().slice(0, 19).split('T');
  return `${date} ${clock}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
