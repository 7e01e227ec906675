/**
 * ValidateNodeSpecificAnnotations (pkg/apis/core/validation), which kube-apiserver 1.33 runs in
 * ValidateNode and ValidateNodeUpdate (so on node creates, updates and nodes/status writes): two
 * alpha annotations nothing reads any more must still decode (encoding/json) and hold valid data.
 * - `scheduler.alpha.kubernetes.io/taints`: []core.Taint (helper.GetTaintsFromNodeAnnotations),
 *   each taint checked as spec.taints are (validateNodeTaints).
 * - `scheduler.alpha.kubernetes.io/preferAvoidPods`: a v1.AvoidPods (GetAvoidPodsFromNodeAnnotations),
 *   each entry naming a pod controller (validatePreferAvoidPodsEntry).
 * A decoding error is reported at the annotations with the key as the value, as upstream does.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { JsonSyntaxError, parseGoJson } from '../../apimachinery/json-scan.js';
import { parseGoTime } from '../../apimachinery/go-time.js';
import { validateNodeTaints } from './validation-taints.js';

export const TAINTS_ANNOTATION = 'scheduler.alpha.kubernetes.io/taints';
export const PREFER_AVOID_PODS_ANNOTATION = 'scheduler.alpha.kubernetes.io/preferAvoidPods';

class DecodeError extends Error {}

/** How encoding/json names a JSON value in an UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number
}

/** Where a value sits for encoding/json: the innermost struct's name and the JSON field names to it. */
interface At {
  struct: string;
  fields: string[];
}

function mismatch(value: unknown, goType: string, at: At | undefined): DecodeError {
  const where = at ? `Go struct field ${at.struct}.${at.fields.join('.')}` : 'Go value';
  return new DecodeError(`json: cannot unmarshal ${jsonKind(value)} into ${where} of type ${goType}`);
}

/** A field's Go type: a string kind, a bool, a metav1.Time, or a nested struct. */
type FieldType = { kind: 'string' | 'bool' | 'time'; goType: string } | { kind: 'struct'; struct: Struct };

interface Struct {
  /** The type's name in an error (v1.OwnerReference); `struct` is its bare name. */
  goType: string;
  name: string;
  fields: Record<string, FieldType>;
}

const str = (goType = 'string'): FieldType => ({ kind: 'string', goType });

const TAINT: Struct = {
  goType: 'core.Taint',
  name: 'Taint',
  fields: { key: str(), value: str(), effect: str('core.TaintEffect'), timeAdded: { kind: 'time', goType: 'string' } },
};

const OWNER_REFERENCE: Struct = {
  goType: 'v1.OwnerReference',
  name: 'OwnerReference',
  fields: {
    apiVersion: str(),
    kind: str(),
    name: str(),
    uid: str('types.UID'),
    controller: { kind: 'bool', goType: 'bool' },
    blockOwnerDeletion: { kind: 'bool', goType: 'bool' },
  },
};

const POD_SIGNATURE: Struct = {
  goType: 'v1.PodSignature',
  name: 'PodSignature',
  fields: { podController: { kind: 'struct', struct: OWNER_REFERENCE } },
};

const PREFER_AVOID_PODS_ENTRY: Struct = {
  goType: 'v1.PreferAvoidPodsEntry',
  name: 'PreferAvoidPodsEntry',
  fields: {
    podSignature: { kind: 'struct', struct: POD_SIGNATURE },
    evictionTime: { kind: 'time', goType: 'string' },
    reason: str(),
    message: str(),
  },
};

/** One field's value as Go stores it (null leaves the field unset; a Time is parsed as metav1.Time does). */
function decodeField(type: FieldType, value: unknown, at: At): unknown {
  if (type.kind === 'struct') return decodeStruct(type.struct, value, at);
  if (type.kind === 'bool') {
    if (typeof value !== 'boolean') throw mismatch(value, type.goType, at);
    return value;
  }
  if (typeof value !== 'string') throw mismatch(value, type.goType, at);
  if (type.kind === 'time') {
    const parsed = parseGoTime(value, 'Time');
    if (parsed.error !== undefined) throw new DecodeError(parsed.error);
  }
  return value;
}

/** A JSON object as the struct `s` (keys matched without regard to case, unknown keys ignored). */
function decodeStruct(s: Struct, value: unknown, at: At | undefined): Obj {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(value, s.goType, at);
  const out: Obj = {};
  for (const [key, v] of Object.entries(value as Obj)) {
    const name = Object.keys(s.fields).find((f) => f.toLowerCase() === key.toLowerCase());
    if (name === undefined || v === null) continue;
    out[name] = decodeField(s.fields[name], v, { struct: s.name, fields: [...(at?.fields ?? []), name] });
  }
  return out;
}

/** A JSON array as a slice of `s`; `at` is where the slice sits (undefined: the top-level value). */
function decodeList(s: Struct, value: unknown, at: At | undefined): Obj[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw mismatch(value, `[]${s.goType}`, at);
  return value.map((item) => decodeStruct(s, item, at));
}

/** encoding/json's Unmarshal of `text`, or its error's text. */
function unmarshal<T>(text: string, decode: (parsed: unknown) => T): T | { error: string } {
  try {
    return decode(parseGoJson(Buffer.from(text, 'utf8')));
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof DecodeError) return { error: e.message };
    throw e;
  }
}

const failed = (v: unknown): v is { error: string } => !Array.isArray(v) && typeof (v as { error?: unknown }).error === 'string';

/** ValidateTaintsInNodeAnnotations, for a non-empty annotation. */
function validateTaintsAnnotation(value: string, fld: FieldPath): FieldError[] {
  const taints = unmarshal(value, (parsed) => decodeList(TAINT, parsed, undefined));
  if (failed(taints)) return [invalidValue(fld, TAINTS_ANNOTATION, taints.error)];
  return validateNodeTaints(taints, fld.child(TAINTS_ANNOTATION));
}

/** ValidateAvoidPodsInNodeAnnotations, for a non-empty annotation. */
function validateAvoidPodsAnnotation(value: string, fld: FieldPath): FieldError[] {
  const entries = unmarshal(value, (parsed) => {
    const avoid = parsed === null ? {} : parsed;
    if (typeof avoid !== 'object' || Array.isArray(avoid)) throw mismatch(avoid, 'v1.AvoidPods', undefined);
    const list = Object.entries(avoid as Obj).find(([k]) => k.toLowerCase() === 'preferavoidpods')?.[1] ?? null;
    return decodeList(PREFER_AVOID_PODS_ENTRY, list, { struct: 'AvoidPods', fields: ['preferAvoidPods'] });
  });
  if (failed(entries)) return [invalidValue(fld.child('AvoidPods'), PREFER_AVOID_PODS_ANNOTATION, entries.error)];
  const errs: FieldError[] = [];
  entries.forEach((entry, i) => {
    const signature = fld.child(PREFER_AVOID_PODS_ANNOTATION).index(i).child('PodSignature');
    const controller = (entry.podSignature as Obj | undefined)?.podController as Obj | undefined;
    if (!controller) errs.push(required(signature));
    // Upstream dereferences podController.controller unchecked: an entry without it makes the
    // apiserver panic (a 500); here it passes.
    else if (controller.controller === false) {
      errs.push(invalidValue(signature.child('PodController').child('Controller'), false, 'must point to a controller'));
    }
  });
  return errs;
}

/** ValidateNodeSpecificAnnotations: `fld` is metadata.annotations. */
export function validateNodeSpecificAnnotations(annotations: Record<string, string> | undefined, fld: FieldPath): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];
  const taints = annotations[TAINTS_ANNOTATION];
  if (taints) errs.push(...validateTaintsAnnotation(taints, fld));
  const avoid = annotations[PREFER_AVOID_PODS_ANNOTATION];
  if (avoid) errs.push(...validateAvoidPodsAnnotation(avoid, fld));
  return errs;
}
