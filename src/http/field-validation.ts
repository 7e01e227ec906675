/**
 * The write options every POST / PUT / PATCH carries in its query (metav1.CreateOptions,
 * UpdateOptions, PatchOptions): dryRun, fieldManager, fieldValidation and (apply only) force,
 * validated as upstream does (a 422 naming the options kind), and how unknown / duplicate fields
 * are reported under each fieldValidation directive: Strict fails, Warn (the default) answers
 * with `Warning: 299 - "…"` headers, Ignore says nothing. Unknown fields are dropped in all cases.
 */
import type { FastifyReply } from 'fastify';
import { invalid, type StatusError } from '../apimachinery/status.js';
import { firstValue, parseQueryBool, queryValues, type RawQuery } from '../apimachinery/query-params.js';
import { notSupported, required, forbiddenField, type FieldError } from '../apimachinery/field-errors.js';
import { validateFieldManager } from '../apimachinery/validation/managed-fields.js';
import { goQuote } from '../apimachinery/go-quote.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

export interface WriteQuery {
  fieldValidation: FieldValidation;
  dryRun: boolean;
  fieldManager: string;
  /** PatchOptions.force; only apply patches may set it. */
  force?: boolean;
}

type Query = RawQuery;

const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'];

const values = (query: Query, name: string): string[] => queryValues(query[name]);
const first = (query: Query, name: string): string => firstValue(query[name]) ?? '';

/** Go's %#v of a []string. */
const goStrings = (list: string[]) => ({ go: `[]string{${list.map(goQuote).join(', ')}}` });

/** 422 `<Kind>.meta.k8s.io "" is invalid: …`. */
function invalidOptions(kind: OptionsKind, errors: FieldError[]): StatusError {
  return invalid({ group: 'meta.k8s.io', kind }, '', errors);
}

/** metav1 ValidateDryRun: every value must be "All". */
export function dryRunErrors(dryRun: readonly string[]): FieldError[] {
  return dryRun.some((v) => v !== 'All') ? [notSupported('dryRun', goStrings([...dryRun]), ['All'])] : [];
}

/**
 * Whether the options ask for a dry run, after checking their dryRun values as upstream does (a 422
 * `<Kind>.meta.k8s.io "" is invalid: dryRun: Unsupported value: …`). For DELETE, whose dryRun may come
 * from the body as well as the query.
 */
export function checkDryRun(dryRun: readonly string[] | undefined, kind: OptionsKind): boolean {
  const errors = dryRunErrors(dryRun ?? []);
  if (errors.length) throw invalidOptions(kind, errors);
  return (dryRun?.length ?? 0) > 0;
}

/**
 * Reads and validates the write options. `patchType` is given for PATCH: `force` is only for
 * apply patches, which in turn need a fieldManager.
 */
export function parseWriteQuery(query: Query, kind: OptionsKind, patchType?: string): WriteQuery {
  const errors: FieldError[] = [];
  const fieldManager = first(query, 'fieldManager');
  const forceValues = values(query, 'force');
  if (kind === 'PatchOptions') {
    if (patchType !== 'apply' && forceValues.length) errors.push(forbiddenField('force', 'may not be specified for non-apply patch'));
    if (patchType === 'apply' && fieldManager === '') errors.push(required('fieldManager', 'is required for apply patch'));
  }
  errors.push(...validateFieldManager(fieldManager, 'fieldManager'));
  const dryRun = values(query, 'dryRun');
  errors.push(...dryRunErrors(dryRun));
  const fieldValidation = first(query, 'fieldValidation');
  if (!FIELD_VALIDATION_VALUES.includes(fieldValidation))
    errors.push(notSupported('fieldValidation', fieldValidation, FIELD_VALIDATION_VALUES));
  if (errors.length) throw invalidOptions(kind, errors);
  const out: WriteQuery = {
    fieldValidation: (fieldValidation || 'Warn') as FieldValidation,
    dryRun: dryRun.length > 0,
    fieldManager,
  };
  if (forceValues.length) out.force = parseQueryBool(forceValues);
  return out;
}

/**
 * net.NewWarningHeader: `299 - "<text>"` with quotes and backslashes escaped; a text holding a
 * control character is refused (undefined), as upstream refuses it.
 */
export function warningHeaderValue(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a warning header may not hold
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined;
  const quoted = text.replace(/["\\]/g, (c) => `\\${c}`);
  // Node writes header strings as latin1: hand it the UTF-8 bytes so non-ASCII text arrives intact.
  return Buffer.from(`299 - "${quoted}"`, 'utf8').toString('latin1');
}

const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
const TRUNCATE_ITEM_RUNES = 256;

/** The apiserver's per-request warning recorder: deduplicates, and truncates past 4Ki runes of text. */
class WarningRecorder {
  private readonly recorded = new Set<string>();
  private readonly ordered: string[] = [];
  private written = 0;
  private truncating = false;
  headers: string[] = [];

  constructor(private readonly foreign: string[]) {}

  add(text: string): void {
    if (!text || (this.truncating && this.written >= TRUNCATE_AT_TOTAL_RUNES) || this.recorded.has(text)) return;
    this.recorded.add(text);
    this.ordered.push(text);
    let runes = [...text];
    if (this.truncating && runes.length > TRUNCATE_ITEM_RUNES) runes = runes.slice(0, TRUNCATE_ITEM_RUNES);
    const header = warningHeaderValue(runes.join(''));
    if (header === undefined) return;
    if (this.written + runes.length <= TRUNCATE_AT_TOTAL_RUNES || this.truncating) {
      this.written += runes.length;
      this.headers.push(header);
      return;
    }
    this.truncating = true;
    this.written = 0;
    this.headers = [];
    for (const t of this.ordered) {
      const cut = [...t].slice(0, TRUNCATE_ITEM_RUNES);
      const h = warningHeaderValue(cut.join(''));
      if (h === undefined) continue;
      this.written += cut.length;
      this.headers.push(h);
    }
  }

  all(): string[] {
    return [...this.foreign, ...this.headers];
  }
}

const recorders = new WeakMap<FastifyReply, WarningRecorder>();

/** Records warnings for this response: one `Warning` header per distinct text, as upstream. */
export function addWarnings(reply: FastifyReply, texts: readonly string[]): void {
  if (!texts.length) return;
  let recorder = recorders.get(reply);
  if (!recorder) {
    const existing = reply.getHeader('warning');
    recorder = new WarningRecorder(existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)]);
    recorders.set(reply, recorder);
  }
  for (const text of texts) recorder.add(text);
  const all = recorder.all();
  if (all.length) reply.header('warning', all);
}

/** Splits the YAML strict-decoding text into one warning per line, as upstream's parseYAMLWarnings. */
export function yamlWarnings(message: string): string[] {
  for (const prefix of ['yaml: unmarshal errors:\n', 'error converting YAML to JSON: yaml: unmarshal errors:\n']) {
    if (message.startsWith(prefix))
      return message
        .slice(prefix.length)
        .split('\n')
        .map((s) => s.trim());
  }
  return [message];
}
