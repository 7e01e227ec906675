/**
 * Query parameters as kube-apiserver's parameter codec reads them (url.Values into ListOptions,
 * DeleteOptions, PodLogOptions…): every parameter is a list of strings; a scalar option takes the
 * first value, and a boolean one is false only when absent or when that first value is `0` or
 * `false` in any letter case. Anything else, the empty string (`?watch`) included, is true, so
 * `watch=True` from the Python client is a watch.
 */
import { badRequest } from './status.js';
import { goParseInt64 } from './go-strconv.js';

/** A URL query as the HTTP layer hands it over: one string per parameter, an array when repeated. */
export type RawQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One parameter's values, in the order they came. */
export function queryValues(value: string | readonly string[] | null | undefined): string[] {
  if (value === undefined || value === null) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The value a single-valued option takes: the first one, or undefined when the parameter is absent. */
export function firstValue(value: string | readonly string[] | null | undefined): string | undefined {
  return queryValues(value)[0];
}

/** Every parameter with its first value (a repeated `labelSelector=a&labelSelector=b` reads as `a`). */
export function firstValues(query: RawQuery | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(query ?? {})) out[name] = firstValue(value);
  return out;
}

/** A boolean option: absent, `0` or `false` (any case) is false; every other value is true. */
export function parseQueryBool(value: string | readonly string[] | null | undefined): boolean {
  const first = firstValue(value);
  if (first === undefined) return false;
  // Go's strings.EqualFold: the long s (U+017F) folds to `s` as well.
  return first !== '0' && first.toLowerCase().replace(/\u017f/g, 's') !== 'false';
}

/**
 * An int64 option (limit, timeoutSeconds, gracePeriodSeconds, tailLines…): undefined when absent;
 * strconv's error is a 400, for an empty value (`?limit=`) too, as runtime.Convert_Slice_string_To_int64 reads it.
 */
export function parseQueryInt64(value: string | readonly string[] | null | undefined): number | undefined {
  const first = firstValue(value);
  if (first === undefined) return undefined;
  const parsed = goParseInt64(first);
  if (parsed.error !== undefined) throw badRequest(parsed.error);
  return Number(parsed.value);
}
