/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition, in the Go structs' field order. The schema of
 * a version (JSONSchemaProps) is kept as the client wrote it: it is read by src/apimachinery/
 * structural-schema.ts, not decoded into a struct here.
 */
import { Type, type Static } from '@sinclair/typebox';
import { bool, field, gvk, int32, list, mapList, setList, str, time } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { X } from '../../apimachinery/schemas/extensions.js';

const PKG = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

export const CustomResourceDefinitionNamesSchema = Type.Object(
  {
    plural: str('The plural name of the resource, served under /apis/<group>/<version>/<plural>; lowercase.'),
    singular: Type.Optional(str('The singular name of the resource; lowercase; defaults to the lowercased kind.')),
    shortNames: Type.Optional(setList(Type.String(), 'Short names for the resource, for `kubectl get <shortname>`; lowercase.')),
    kind: str('The serialized kind of the resource, in CamelCase.'),
    listKind: Type.Optional(str('The serialized kind of the list of this resource; defaults to "<kind>List".')),
    categories: Type.Optional(setList(Type.String(), 'Grouped resources this resource belongs to (e.g. "all").')),
  },
  { $id: `${PKG}.CustomResourceDefinitionNames`, description: 'The names by which a custom resource is served.' },
);

const JsonSchemaPropsSchema = Type.Unknown({
  $id: `${PKG}.JSONSchemaProps`,
  description: 'A JSON-Schema following Specification Draft 4 (http://json-schema.org/), in its structural form.',
  [X.preserveUnknownFields]: true,
});

export const CustomResourceValidationSchema = Type.Object(
  { openAPIV3Schema: Type.Optional(field(JsonSchemaPropsSchema, 'The OpenAPI v3 schema used for validation and pruning.')) },
  { $id: `${PKG}.CustomResourceValidation`, description: 'The validation methods of a custom resource.' },
);

export const CustomResourceSubresourceScaleSchema = Type.Object(
  {
    specReplicasPath: str('The JSON path (a simple field path such as .spec.replicas) of the desired replicas.'),
    statusReplicasPath: str('The JSON path (.status.replicas) of the observed replicas.'),
    labelSelectorPath: Type.Optional(str('The JSON path of the serialized label selector, under .status or .spec.')),
  },
  { $id: `${PKG}.CustomResourceSubresourceScale`, description: 'How to serve the scale subresource of a custom resource.' },
);

export const CustomResourceSubresourcesSchema = Type.Object(
  {
    status: Type.Optional(
      Type.Unknown({
        description: 'Enables the status subresource: PUT/POST/PATCH on the main resource ignore status changes.',
        [X.preserveUnknownFields]: true,
      }),
    ),
    scale: Type.Optional(field(CustomResourceSubresourceScaleSchema, 'Enables the scale subresource.')),
  },
  { $id: `${PKG}.CustomResourceSubresources`, description: 'The status and scale subresources of a custom resource.' },
);

export const CustomResourceColumnDefinitionSchema = Type.Object(
  {
    name: str('A human readable name for the column.'),
    type: str('An OpenAPI type definition for this column: integer, number, string, boolean or date.'),
    format: Type.Optional(str('An optional OpenAPI format for this column.')),
    description: Type.Optional(str('A human readable description of this column.')),
    priority: Type.Optional(int32('0 = shown by default; greater = only with -o wide.')),
    jsonPath: str('A simple JSON path evaluated against each custom resource for this column.'),
  },
  { $id: `${PKG}.CustomResourceColumnDefinition`, description: 'A column for server side printing.' },
);

export const SelectableFieldSchema = Type.Object(
  { jsonPath: str('A simple JSON path to a string, integer or boolean field usable in field selectors.') },
  { $id: `${PKG}.SelectableField`, description: 'A field usable in field selectors.' },
);

export const CustomResourceDefinitionVersionSchema = Type.Object(
  {
    name: str('The version name, e.g. "v1", "v2beta1"; served under /apis/<group>/<version>/....'),
    served: bool('Whether this version is served by REST APIs.'),
    storage: bool('Whether this version is used when persisting custom resources; exactly one version has it.'),
    deprecated: Type.Optional(bool('Whether this version is deprecated (responses carry a warning).')),
    deprecationWarning: Type.Optional(str('Overrides the default warning returned to API clients.')),
    schema: Type.Optional(field(CustomResourceValidationSchema, 'The schema used for validation, pruning and defaulting.')),
    subresources: Type.Optional(field(CustomResourceSubresourcesSchema, 'The subresources this version serves.')),
    additionalPrinterColumns: Type.Optional(
      list(CustomResourceColumnDefinitionSchema, 'Additional columns returned in Table output (kubectl get).', { listType: 'atomic' }),
    ),
    selectableFields: Type.Optional(list(SelectableFieldSchema, 'Fields usable as field selectors.', { listType: 'atomic' })),
  },
  { $id: `${PKG}.CustomResourceDefinitionVersion`, description: 'A version of a custom resource definition.' },
);

export const CustomResourceConversionSchema = Type.Object(
  {
    strategy: str('How custom resources are converted between versions: "None" or "Webhook".'),
    webhook: Type.Optional(Type.Unknown({ description: 'How to call the conversion webhook.', [X.preserveUnknownFields]: true })),
  },
  { $id: `${PKG}.CustomResourceConversion`, description: 'How to convert versions of a custom resource.' },
);

export const CustomResourceDefinitionSpecSchema = Type.Object(
  {
    group: str('The API group of the defined custom resource; must be a DNS subdomain with at least one dot.'),
    names: field(CustomResourceDefinitionNamesSchema, 'The resource and kind names of the custom resource.'),
    scope: str('Whether the custom resource is cluster- or namespace-scoped: "Cluster" or "Namespaced".'),
    versions: list(CustomResourceDefinitionVersionSchema, 'All versions of the defined custom resource.', { listType: 'atomic' }),
    conversion: Type.Optional(field(CustomResourceConversionSchema, 'How to convert between versions.')),
    preserveUnknownFields: Type.Optional(bool('Must be false in apiextensions.k8s.io/v1.')),
  },
  { $id: `${PKG}.CustomResourceDefinitionSpec`, description: 'How a user wants their resource to appear.' },
);

export const CustomResourceDefinitionConditionSchema = Type.Object(
  {
    type: str('The type of the condition: Established, NamesAccepted or Terminating.'),
    status: str('The status of the condition: True, False or Unknown.'),
    lastTransitionTime: Type.Optional(time('The last time the condition transitioned from one status to another.')),
    reason: Type.Optional(str("A unique, one-word, CamelCase reason for the condition's last transition.")),
    message: Type.Optional(str('A human-readable message indicating details about the last transition.')),
  },
  { $id: `${PKG}.CustomResourceDefinitionCondition`, description: 'The state of a CustomResourceDefinition at one point.' },
);

export const CustomResourceDefinitionStatusSchema = Type.Object(
  {
    conditions: Type.Optional(mapList(CustomResourceDefinitionConditionSchema, ['type'], 'The observations of the state.')),
    acceptedNames: Type.Optional(field(CustomResourceDefinitionNamesSchema, 'The names actually being used to serve discovery.')),
    storedVersions: Type.Optional(list(Type.String(), 'Every version custom resources were ever persisted in.', { listType: 'atomic' })),
  },
  { $id: `${PKG}.CustomResourceDefinitionStatus`, description: 'The state of the CustomResourceDefinition.' },
);

export const CustomResourceDefinitionSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: field(CustomResourceDefinitionSpecSchema, 'How the user wants the resources to appear.'),
    status: Type.Optional(field(CustomResourceDefinitionStatusSchema, 'The actual state of the CustomResourceDefinition.')),
  },
  {
    $id: `${PKG}.CustomResourceDefinition`,
    description: 'A resource to expose in the API server. Its name must be in the format <.spec.name>.<.spec.group>.',
    ...gvk('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'),
  },
);

export const CustomResourceDefinitionListSchema = listSchema(CustomResourceDefinitionSchema, 'CustomResourceDefinition');

export type CustomResourceDefinition = Static<typeof CustomResourceDefinitionSchema>;
export type CustomResourceDefinitionVersion = Static<typeof CustomResourceDefinitionVersionSchema>;
export type CustomResourceDefinitionNames = Static<typeof CustomResourceDefinitionNamesSchema>;
export type CustomResourceDefinitionCondition = Static<typeof CustomResourceDefinitionConditionSchema>;
export type CustomResourceColumnDefinition = Static<typeof CustomResourceColumnDefinitionSchema>;
