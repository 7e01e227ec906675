/**
 * Go's fmt rendering of decoded JSON values (map[string]interface{}, []interface{}, int64,
 * float64, string, bool, nil), for the error texts that upstream builds with %v / %+v / %s.
 */

/** Go's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e21 (e+XX, 2+ digits). */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e21) return String(n);
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const sign = exp.startsWith('-') ? '-' : '+';
  const digits = exp.replace(/^[+-]/, '');
  return `${mantissa}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** fmt.Sprintf("%v", v) (and %+v, which is the same for these types). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : goFloat(v);
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
