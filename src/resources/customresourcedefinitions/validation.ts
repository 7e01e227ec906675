/**
 * ValidateCustomResourceDefinition / ValidateCustomResourceDefinitionUpdate (apiextensions-apiserver
 * pkg/apis/apiextensions/validation) for apiextensions.k8s.io/v1: the name is <plural>.<group>,
 * group, scope and names, versions (unique DNS-1035 names, exactly one storage version, a structural
 * schema each, whose x-kubernetes-validations compile), subresources, printer columns, selectable fields, conversion; group, plural and,
 * once established, scope and kind immutable; stored versions that name served versions; the API
 * review annotation of CRDs in protected groups (api-approval.ts).
 */
import { immutable, invalidValue, notSupported, path, required, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import { isDns1035Label, isDns1123Subdomain, nameIsDnsSubdomain, type NameValidator } from '../../apimachinery/validation/names.js';
import { validateStructural } from '../../apimachinery/structural-schema/structural.js';
import { validateDefaults } from '../../apimachinery/structural-schema/default-validation.js';
import { celRules, mayHaveRules } from '../../apimachinery/cel/load-rules.js';
import { deepEqual, isPlainObject } from '../../apimachinery/object.js';
import type { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from './schema.js';
import { validateApiApproval } from './api-approval.js';
import { findPreexistingExpressions } from './preexisting-expressions.js';
import type { PreexistingExpressions } from '../../apimachinery/cel/environments.js';
import { goQuote } from '../../apimachinery/go-quote.js';

const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

/** Go's %#v of spec.versions, as upstream prints the whole list in its errors (pointers as nil or an address). */
function goVersions(versions: CustomResourceDefinitionVersion[]): { go: string } {
  const ptr = (present: unknown, type: string) => (present ? `(*apiextensions.${type})(0xc000000000)` : `(*apiextensions.${type})(nil)`);
  const items = versions.map(
    (v) =>
      `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(v.name)}, Served:${v.served}, Storage:${v.storage}, ` +
      `Deprecated:${v.deprecated ?? false}, DeprecationWarning:${v.deprecationWarning === undefined ? '(*string)(nil)' : '(*string)(0xc000000000)'}, ` +
      `Schema:${ptr(v.schema, 'CustomResourceValidation')}, Subresources:${ptr(v.subresources, 'CustomResourceSubresources')}, ` +
      `AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(${v.additionalPrinterColumns ? '…' : 'nil'}), ` +
      `SelectableFields:[]apiextensions.SelectableField(${v.selectableFields ? '…' : 'nil'})}`,
  );
  return { go: `[]apiextensions.CustomResourceDefinitionVersion{${items.join(', ')}}` };
}

export function validateNames(names: CustomResourceDefinitionNames, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const dns = (value: string | undefined, at: FieldPath, prefix = '') => {
    if (!value) return;
    const msgs = isDns1035Label(prefix ? value.toLowerCase() : value);
    if (msgs.length) errs.push(invalidValue(at, value, prefix + msgs.join(',')));
  };
  dns(names.plural, fld.child('plural'));
  dns(names.singular, fld.child('singular'));
  dns(names.kind, fld.child('kind'), 'may have mixed case, but should otherwise match: ');
  dns(names.listKind, fld.child('listKind'), 'may have mixed case, but should otherwise match: ');
  (names.shortNames ?? []).forEach((s, i) => dns(s, fld.child('shortNames').index(i)));
  if (names.kind && names.kind === names.listKind)
    errs.push(invalidValue(fld.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => dns(c, fld.child('categories').index(i)));
  return errs;
}

function isJsonPathUnder(p: string, roots: string[]): boolean {
  return roots.some((r) => p.startsWith(`${r}.`) || p.startsWith(`${r}[`)) && /^(\.[A-Za-z0-9_-]+|\[\d+\]|\['[^']*'\])+$/.test(p);
}

/** A version's deprecationWarning: only on a deprecated version, 1 to 256 bytes of printable characters. */
function deprecationWarningErrors(v: CustomResourceDefinitionVersion): string[] {
  const w = v.deprecationWarning;
  if (w === undefined || w === null) return [];
  if (!v.deprecated) return ['can only be set for deprecated versions'];
  const out: string[] = [];
  if (Buffer.byteLength(w) > 256) out.push('must be <= 256 characters long');
  if (w === '') out.push('must not be an empty string');
  let at = 0; // Go ranges over a string by byte offset
  for (const ch of w) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      out.push(`must only contain printable UTF-8 characters; non-printable character found at index ${at}`);
      break;
    }
    at += Buffer.byteLength(ch);
  }
  return out;
}

/**
 * One version; `unchangedSchema` when an update leaves its schema as it was (rules over the
 * per-expression cost budget then stay accepted, so a CRD written before the budget still updates);
 * `preexisting`, on update, the CEL expressions the old CRD held (they compile in StoredExpressions).
 */
function validateVersion(
  v: CustomResourceDefinitionVersion,
  fld: FieldPath,
  unchangedSchema: boolean,
  preexisting: PreexistingExpressions | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const msg of deprecationWarningErrors(v)) errs.push(invalidValue(fld.child('deprecationWarning'), v.deprecationWarning, msg));
  const schema = v.schema?.openAPIV3Schema;
  const schemaAt = fld.child('schema').child('openAPIV3Schema');
  if (!isPlainObject(schema)) errs.push(required(schemaAt, 'schemas are required'));
  else {
    const structural = validateStructural(schema, String(schemaAt));
    const defaults = structural.length === 0 ? validateDefaults(schema, String(schemaAt)) : [];
    const rules = mayHaveRules(schema)
      ? celRules().validateSchemaRules(schema, String(schemaAt), structural.length === 0, {
          suppressPerExpressionCost: unchangedSchema,
          preexisting,
        })
      : [];
    errs.push(...structural, ...defaults, ...rules);
  }
  const scale = v.subresources?.scale;
  if (scale) {
    const at = fld.child('subresources').child('scale');
    if (!scale.specReplicasPath) errs.push(required(at.child('specReplicasPath'), ''));
    else if (!isJsonPathUnder(scale.specReplicasPath, ['.spec'])) {
      errs.push(invalidValue(at.child('specReplicasPath'), scale.specReplicasPath, 'should be a json path under .spec'));
    }
    if (!scale.statusReplicasPath) errs.push(required(at.child('statusReplicasPath'), ''));
    else if (!isJsonPathUnder(scale.statusReplicasPath, ['.status'])) {
      errs.push(invalidValue(at.child('statusReplicasPath'), scale.statusReplicasPath, 'should be a json path under .status'));
    }
    if (scale.labelSelectorPath && !isJsonPathUnder(scale.labelSelectorPath, ['.spec', '.status'])) {
      errs.push(
        invalidValue(at.child('labelSelectorPath'), scale.labelSelectorPath, 'should be a json path under either .spec or .status'),
      );
    }
  }
  (v.additionalPrinterColumns ?? []).forEach((col, i) => {
    const at = fld.child('additionalPrinterColumns').index(i);
    if (!col.name) errs.push(required(at.child('name'), ''));
    if (!col.type) errs.push(required(at.child('type'), ''));
    else if (!COLUMN_TYPES.includes(col.type)) errs.push(notSupported(at.child('type'), col.type, COLUMN_TYPES));
    if (!col.jsonPath) errs.push(required(at.child('jsonPath'), ''));
    if (col.priority !== undefined && col.priority < 0)
      errs.push(invalidValue(at.child('priority'), col.priority, 'must be greater or equal 0'));
  });
  (v.selectableFields ?? []).forEach((f, i) => {
    const at = fld.child('selectableFields').index(i).child('jsonPath');
    if (!f.jsonPath) errs.push(required(at, ''));
    else if (!/^(\.[A-Za-z0-9_-]+)+$/.test(f.jsonPath)) errs.push(invalidValue(at, f.jsonPath, 'must be a simple field path'));
  });
  return errs;
}

/**
 * The name rule ValidateCustomResourceDefinition gives ValidateObjectMeta (create only; the update
 * validation checks no name): a DNS subdomain that is spec.names.plural+"."+spec.group. A generateName
 * prefix is held to it too, and never is that name.
 */
export function crdNameRule(crd: CustomResourceDefinition): NameValidator {
  const expected = `${crd.spec.names?.plural ?? ''}.${crd.spec.group ?? ''}`;
  return (name, prefix) => [
    ...nameIsDnsSubdomain(name, prefix),
    ...(name === expected ? [] : ['must be spec.names.plural+"."+spec.group']),
  ];
}

/**
 * ValidateCustomResourceDefinition after its ObjectMeta check (crdNameRule): the spec, status, API
 * approval, preserveUnknownFields. `unchangedSchemas`: on update, the versions whose schema is as it was.
 */
export function validateCustomResourceDefinition(crd: CustomResourceDefinition, unchangedSchemas = new Set<string>()): FieldError[] {
  return validate(crd, undefined, unchangedSchemas);
}

/**
 * In upstream's order: metadata, the spec (then, on update, its immutable fields), status, the API
 * approval annotation, preserveUnknownFields.
 */
function validate(crd: CustomResourceDefinition, old: CustomResourceDefinition | undefined, unchangedSchemas: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  const fld = path('spec');
  if (!spec.group) errs.push(required(fld.child('group'), ''));
  else {
    const msgs = isDns1123Subdomain(spec.group);
    if (msgs.length) errs.push(invalidValue(fld.child('group'), spec.group, msgs.join(',')));
    else if (spec.group.split('.').length < 2)
      errs.push(invalidValue(fld.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required(fld.child('scope'), ''));
  else if (!['Cluster', 'Namespaced'].includes(spec.scope))
    errs.push(notSupported(fld.child('scope'), spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions ?? [];
  const preexisting = old ? findPreexistingExpressions(old) : undefined;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const msgs = isDns1035Label(v.name ?? '');
    if (msgs.length) errs.push(invalidValue(fld.child('versions').index(i).child('name'), v.name ?? '', msgs.join(',')));
    errs.push(...validateVersion(v, fld.child('versions').index(i), unchangedSchemas.has(v.name), preexisting));
  });
  if (!versions.length) errs.push(required(fld.child('versions'), 'must have exactly one version marked as storage version'));
  else {
    if (!unique) errs.push(invalidValue(fld.child('versions'), goVersions(versions), 'must contain unique version names'));
    if (versions.filter((v) => v.storage).length !== 1) {
      errs.push(invalidValue(fld.child('versions'), goVersions(versions), 'must have exactly one version marked as storage version'));
    }
  }
  const names = spec.names ?? ({} as CustomResourceDefinitionNames);
  if (!names.plural) errs.push(required(fld.child('names').child('plural'), ''));
  if (!names.singular) errs.push(required(fld.child('names').child('singular'), ''));
  if (!names.kind) errs.push(required(fld.child('names').child('kind'), ''));
  if (!names.listKind) errs.push(required(fld.child('names').child('listKind'), ''));
  errs.push(...validateNames(names, fld.child('names')));
  const strategy = spec.conversion?.strategy;
  if (spec.conversion && !strategy) errs.push(required(fld.child('conversion').child('strategy'), ''));
  else if (strategy && !['None', 'Webhook'].includes(strategy))
    errs.push(notSupported(fld.child('conversion').child('strategy'), strategy, ['None', 'Webhook']));
  if (old) errs.push(...immutableSpecFields(crd, old));
  errs.push(...validateStoredVersions(crd));
  errs.push(...validateApiApproval(crd, old));
  if (spec.preserveUnknownFields === true) {
    errs.push(
      invalidValue(
        fld.child('preserveUnknownFields'),
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  return errs;
}

/** status.storedVersions: each a version of the spec, and the storage version among them. */
function validateStoredVersions(crd: CustomResourceDefinition): FieldError[] {
  const stored = crd.status?.storedVersions;
  if (!stored) return [];
  const errs: FieldError[] = [];
  const names = new Set((crd.spec.versions ?? []).map((v) => v.name));
  stored.forEach((v, i) => {
    if (!names.has(v)) errs.push(invalidValue(path('status', 'storedVersions').index(i), v, 'must appear in spec.versions'));
  });
  const storage = crd.spec.versions?.find((v) => v.storage)?.name;
  if (storage && !stored.includes(storage)) {
    errs.push(
      invalidValue(
        path('status', 'storedVersions'),
        { go: `[]string{${stored.map(goQuote).join(', ')}}` },
        `must have the storage version ${storage}`,
      ),
    );
  }
  return errs;
}

export function isEstablished(crd: CustomResourceDefinition): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

/** The versions an update leaves with the schema they had (findVersionsWithUnchangedSchemas). */
function unchangedSchemaVersions(crd: CustomResourceDefinition, old: CustomResourceDefinition): Set<string> {
  const unchanged = new Set<string>();
  for (const v of crd.spec.versions ?? []) {
    const before = old.spec.versions?.find((o) => o.name === v.name);
    if (before && deepEqual(v.schema, before.schema)) unchanged.add(v.name);
  }
  return unchanged;
}

export function validateCustomResourceDefinitionUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  return validate(crd, old, unchangedSchemaVersions(crd, old));
}

/** Scope and kind once established, group and plural always. */
function immutableSpecFields(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const fld = path('spec');
  if (isEstablished(old)) {
    if (crd.spec.scope !== old.spec.scope) errs.push(immutable(fld.child('scope'), crd.spec.scope));
    if (crd.spec.names?.kind !== old.spec.names?.kind) errs.push(immutable(fld.child('names').child('kind'), crd.spec.names?.kind));
  }
  if (crd.spec.group !== old.spec.group) errs.push(immutable(fld.child('group'), crd.spec.group));
  if (crd.spec.names?.plural !== old.spec.names?.plural) errs.push(immutable(fld.child('names').child('plural'), crd.spec.names?.plural));
  return errs;
}
