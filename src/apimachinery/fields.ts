/**
 * Field selectors (?fieldSelector=) as fields.ParseSelector reads them: comma-separated
 * `field=value`, `field==value`, `field!=value` terms ANDed, values escaped with a backslash.
 */
import { badRequest } from './status.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: FieldRequirement[];
  readonly empty: boolean;
  matches(fields: Record<string, string>): boolean;
  /** the value required by `field=value`, if any */
  requiredValue(field: string): string | undefined;
  toString(): string;
}

/** Split on commas that are not escaped; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator occurrence splits the term; the field part has no escaping. */
function splitTerm(term: string): { field: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue, with its error wording (an unescaped rune is printed as its code, as %v does). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue: the inverse of unescapeFieldValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

class RequirementsFieldSelector implements FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const have = Object.prototype.hasOwnProperty.call(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.operator === '=' ? have === r.value : have !== r.value;
    });
  }
  requiredValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Parse `?fieldSelector=`; a malformed term is a 400 with upstream's wording. */
export function parseFieldSelector(s: string): FieldSelector {
  // Upstream sorts the raw terms before reading them, which fixes both order and first error.
  const terms = splitTerms(s).sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    const value = unescapeFieldValue(parts.rhs);
    reqs.push({ field: parts.field, operator: parts.op === '!=' ? '!=' : '=', value });
  }
  return new RequirementsFieldSelector(reqs);
}

/** The first field the kind cannot select on is a 400 (`field label not supported: spec.foo`). */
export function checkFieldsSupported(sel: FieldSelector, supported: Set<string>): void {
  for (const r of sel.requirements) {
    if (!supported.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

/** The same selector over other field names (`names[field]`, or the field itself when not listed). */
export function renameFields(sel: FieldSelector, names: Record<string, string>): FieldSelector {
  return new RequirementsFieldSelector(sel.requirements.map((r) => ({ ...r, field: names[r.field] ?? r.field })));
}
