/**
 * The served definitions of a CustomResourceDefinition: one per served version, the storage
 * version's first (the registry stores objects in it; the others convert by apiVersion alone, as
 * conversion strategy None does). Built at run time by the CRD controller and handed to the
 * registry, which serves them like the built-in kinds.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { StatusError, StatusReason } from '../../apimachinery/status.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { customKindSchema } from '../../apimachinery/structural-schema/kind-schema.js';
import type { JSONSchemaProps } from '../../apimachinery/structural-schema/types.js';
import { jsonPathValues } from '../../apimachinery/json-path.js';
import { DEFAULT_RESET_FIELDS, type ResourceDefinition, type ServedVersion, type Subresource } from '../../registry/resource-definition.js';
import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from '../customresourcedefinitions/schema.js';
import { customResourceStatusStrategy, customResourceStrategy, schemaValidation } from './strategy.js';
import { customResourceTable } from './table.js';
import { deprecationWarning } from './deprecation.js';

const SCALE_SUBRESOURCE: Subresource = {
  name: 'scale',
  verbs: ['get', 'patch', 'update'],
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
};

function rootSchema(v: CustomResourceDefinitionVersion): JSONSchemaProps | undefined {
  return v.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
}

/** A selectable field's value as a field selector compares it: strings, integers and booleans as text. */
function fieldValue(obj: KubeObject, jsonPath: string): string {
  const [v] = jsonPathValues(obj, jsonPath);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function selectable(v: CustomResourceDefinitionVersion) {
  const paths = (v.selectableFields ?? []).map((f) => f.jsonPath);
  return {
    fieldLabels: paths.map((p) => p.replace(/^\./, '')),
    selectableFields: (obj: KubeObject) => Object.fromEntries(paths.map((p) => [p.replace(/^\./, ''), fieldValue(obj, p)])),
  };
}

/** Everything a generation bump compares: the object without metadata, and without status when /status is separate. */
function generationSubject(statusSubresource: boolean) {
  return (obj: KubeObject) => {
    const { metadata: _m, status, ...rest } = obj;
    return statusSubresource ? rest : { ...rest, status };
  };
}

function schemasOf(crd: CustomResourceDefinition, v: CustomResourceDefinitionVersion) {
  const kind = crd.spec.names.kind;
  const schema = customKindSchema(rootSchema(v), { group: crd.spec.group, version: v.name, kind });
  return { schema, listSchema: listSchema(schema, kind) };
}

function versionDefinition(crd: CustomResourceDefinition, v: CustomResourceDefinitionVersion, terminating: boolean): ResourceDefinition {
  const names = crd.spec.names;
  const statusSubresource = v.subresources?.status !== undefined && v.subresources.status !== null;
  const scale = v.subresources?.scale;
  const root = rootSchema(v);
  const validate = schemaValidation(root);
  const def: ResourceDefinition = {
    group: crd.spec.group,
    version: v.name,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    etcdResourcePrefix: `${crd.spec.group}/${names.plural}`,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: crd.spec.scope === 'Namespaced',
    shortNames: names.shortNames,
    categories: names.categories,
    tracksGeneration: true,
    generationSubject: generationSubject(statusSubresource),
    unstructured: true,
    ...schemasOf(crd, v),
    protobuf: '',
    strategy: customResourceStrategy(root, statusSubresource, validate),
    // GetResetFields of custom resources: status from the main resource, spec from /status.
    ...(statusSubresource ? { statusStrategy: customResourceStatusStrategy(validate), resetFields: DEFAULT_RESET_FIELDS } : {}),
    ...(scale ? { scale, extraSubresources: [SCALE_SUBRESOURCE] } : {}),
    ...selectable(v),
    table: customResourceTable(v.additionalPrinterColumns),
  };
  const warning = deprecationWarning(crd, v);
  if (warning !== undefined) def.deprecationWarning = warning;
  if (terminating) {
    def.hooks = {
      admit(_obj, old) {
        if (old) return;
        throw new StatusError(405, StatusReason.MethodNotAllowed, `create not allowed while custom resource definition is terminating`);
      },
    };
  }
  return def;
}

function servedVersion(crd: CustomResourceDefinition, storage: ResourceDefinition, v: CustomResourceDefinitionVersion): ServedVersion {
  const apiVersion = `${crd.spec.group}/${v.name}`;
  const storageApiVersion = `${storage.group}/${storage.version}`;
  const { fieldLabels } = selectable(v);
  const validate = schemaValidation(rootSchema(v));
  const warning = deprecationWarning(crd, v);
  return {
    ...(warning !== undefined ? { deprecationWarning: warning } : {}),
    group: crd.spec.group,
    version: v.name,
    ...schemasOf(crd, v),
    protobuf: '',
    fromStorage: (obj) => ({ ...obj, apiVersion }),
    toStorage: (obj) => ({ ...obj, apiVersion: storageApiVersion }),
    fieldLabels: Object.fromEntries(fieldLabels.map((l) => [l, l])),
    validate: (obj) => validate(obj),
    validateUpdate: (obj, old, meta) => [...meta.update(), ...validate(obj, old)],
  };
}

/** The definitions to serve for a CRD (none when no version is served). */
export function definitionsFromCrd(crd: CustomResourceDefinition): ResourceDefinition[] {
  const versions = crd.spec.versions ?? [];
  const storageVersion = versions.find((v) => v.storage);
  if (!storageVersion) return [];
  const terminating = !!crd.metadata?.deletionTimestamp;
  const storage = versionDefinition(crd, storageVersion, terminating);
  const others = versions.filter((v) => v !== storageVersion && v.served).map((v) => servedVersion(crd, storage, v));
  const derived = others.length ? { ...storage, servedVersions: others } : storage;
  return [derived];
}
