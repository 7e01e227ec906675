/**
 * IntOrString values that are a count or a percentage (maxUnavailable, minAvailable): how upstream
 * validates them (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) and scales them against
 * a total (intstr.GetScaledValueFromIntOrPercent).
 */
import { invalidValue, type FieldError, type FieldPath } from './field-errors.js';
import { goIntOrString, num } from './json-fields.js';

const PERCENT_FMT = '[0-9]+%';
const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MSG = `a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '${PERCENT_FMT}')`;

/** strconv.Atoi, 0 on failure (what IntOrString.IntValue() gives for a bad string). */
function atoi(s: string): number {
  return /^[+-]?[0-9]+$/.test(s) ? Number.parseInt(s, 10) : 0;
}

function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && PERCENT_RE.test(v) ? atoi(v.slice(0, -1)) : undefined;
}

/** getIntOrPercentValue: the number, or the percentage's number, 0 for anything else. */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  return typeof v === 'string' ? atoi(v) : (num(v) ?? 0);
}

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: unknown, fld: FieldPath): FieldError[] {
  if (typeof v === 'string') return PERCENT_RE.test(v) ? [] : [invalidValue(fld, goIntOrString(v), PERCENT_MSG)];
  const n = num(v) ?? 0;
  return n < 0 ? [invalidValue(fld, n, 'must be greater than or equal to 0')] : [];
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, fld: FieldPath): FieldError[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [invalidValue(fld, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is; "N%" of `total`, rounded up or down.
 * Anything else is an error, with upstream's message.
 */
export function scaledIntOrPercent(v: number | string, total: number, roundUp: boolean): { value: number } | { error: string } {
  if (typeof v === 'number') return { value: v };
  if (!v.endsWith('%')) return { error: `invalid value for IntOrString: invalid type: string is not a percentage` };
  const digits = v.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(digits)) return { error: `invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax` };
  const scaled = (Number.parseInt(digits, 10) * total) / 100;
  return { value: roundUp ? Math.ceil(scaled) : Math.floor(scaled) };
}
