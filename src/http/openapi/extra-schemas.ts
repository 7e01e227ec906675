/**
 * Named schemas the OpenAPI documents need besides the served kinds: the PATCH body, watch events,
 * the discovery documents and `/version`. They are described here and nowhere else because nothing
 * but the OpenAPI documents uses them as schemas.
 */
import { Type, type TObject } from '@sinclair/typebox';
import { X, atomicList, bool, field, gvk, openObject, setList, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const PatchSchema = Type.Object(
  {},
  {
    $id: `${META}.Patch`,
    description: 'The body of a PATCH request; its shape depends on the patch type named by the Content-Type.',
  },
);

export const RawExtensionSchema = openObject('An embedded object of any kind, kept as the client sent it.', {
  $id: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
});

export const WatchEventSchema = Type.Object(
  {
    type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    object: field(RawExtensionSchema, 'The object after the change; a Status for ERROR; only metadata.resourceVersion for BOOKMARK.'),
  },
  {
    $id: `${META}.WatchEvent`,
    description: 'One change streamed by a watch.',
    [`x-kubernetes-group-version-kind`]: [
      { group: '', version: 'v1', kind: 'WatchEvent' },
      { group: 'apps', version: 'v1', kind: 'WatchEvent' },
      { group: 'meta.k8s.io', version: 'v1', kind: 'WatchEvent' },
    ],
  },
);

export const ServerAddressByClientCIDRSchema = Type.Object(
  {
    clientCIDR: str('Client network this address is meant for.'),
    serverAddress: str('Address (host or host:port) clients in that network should use.'),
  },
  { $id: `${META}.ServerAddressByClientCIDR`, description: 'The server address to use from one client network.' },
);

export const APIVersionsSchema = Type.Object(
  {
    ...typeMeta(),
    versions: atomicList(str('A version.'), 'Versions of the legacy core API.'),
    serverAddressByClientCIDRs: atomicList(ServerAddressByClientCIDRSchema, 'Addresses clients should use, by network.'),
  },
  { $id: `${META}.APIVersions`, description: 'Answer of /api: the versions of the core group.', ...gvk('', 'v1', 'APIVersions') },
);

export const GroupVersionForDiscoverySchema = Type.Object(
  {
    groupVersion: str('"group/version".'),
    version: str('The version alone.'),
  },
  { $id: `${META}.GroupVersionForDiscovery`, description: 'One version of an API group.' },
);

export const APIGroupSchema = Type.Object(
  {
    ...typeMeta(),
    name: str('Name of the group.'),
    versions: atomicList(GroupVersionForDiscoverySchema, 'Versions the group serves.'),
    preferredVersion: Type.Optional(field(GroupVersionForDiscoverySchema, 'The version clients should use.')),
    serverAddressByClientCIDRs: Type.Optional(
      atomicList(ServerAddressByClientCIDRSchema, 'Addresses clients should use, by network.'),
    ),
  },
  { $id: `${META}.APIGroup`, description: 'An API group and its versions.', ...gvk('', 'v1', 'APIGroup') },
);

export const APIGroupListSchema = Type.Object(
  {
    ...typeMeta(),
    groups: atomicList(APIGroupSchema, 'The served groups.'),
  },
  { $id: `${META}.APIGroupList`, description: 'Answer of /apis: every served API group.', ...gvk('', 'v1', 'APIGroupList') },
);

export const APIResourceSchema = Type.Object(
  {
    name: str('Plural resource name, with "/subresource" for subresources.'),
    singularName: str('Singular name, used by kubectl for display.'),
    namespaced: bool('Whether objects live in namespaces.'),
    group: Type.Optional(str('Group of the kind, when it differs from the group-version listed.')),
    version: Type.Optional(str('Version of the kind, when it differs from the group-version listed.')),
    kind: str('Kind of the objects.'),
    verbs: setList(str('A verb.'), 'Verbs the resource supports: get, list, watch, create, update, patch, delete, deletecollection.'),
    shortNames: Type.Optional(setList(str('A short name.'), 'Abbreviations kubectl accepts for the resource.')),
    categories: Type.Optional(setList(str('A category.'), 'Groupings such as "all" the resource belongs to.')),
    storageVersionHash: Type.Optional(str('Opaque hash of the version objects are stored in.')),
  },
  { $id: `${META}.APIResource`, description: 'One resource of a group-version, as discovery lists it.' },
);

export const APIResourceListSchema = Type.Object(
  {
    ...typeMeta(),
    groupVersion: str('The group-version listed.'),
    resources: atomicList(APIResourceSchema, 'Resources of the group-version.'),
  },
  {
    $id: `${META}.APIResourceList`,
    description: 'Answer of /api/v1 and /apis/<group>/<version>: the resources served in one group-version.',
    ...gvk('', 'v1', 'APIResourceList'),
  },
);

export const VersionInfoSchema = Type.Object(
  {
    major: str('Major version number.'),
    minor: str('Minor version number.'),
    gitVersion: str('Semantic version, such as v1.33.1.'),
    gitCommit: str('Commit the binary was built from.'),
    gitTreeState: str('clean or dirty.'),
    buildDate: str('When the binary was built, RFC 3339.'),
    goVersion: str('Go toolchain version.'),
    compiler: str('Go compiler.'),
    platform: str('Operating system and architecture.'),
  },
  { $id: 'io.k8s.apimachinery.pkg.version.Info', description: 'Build information of the server.' },
);

export const extraSchemas = [
  PatchSchema,
  RawExtensionSchema,
  WatchEventSchema,
  ServerAddressByClientCIDRSchema,
  APIVersionsSchema,
  GroupVersionForDiscoverySchema,
  APIGroupSchema,
  APIGroupListSchema,
  APIResourceSchema,
  APIResourceListSchema,
  VersionInfoSchema,
];

/**
 * Stand-in schemas for a served kind that has no schema yet: apiVersion, kind and metadata, the rest
 * kept as sent. Named like upstream (`io.k8s.api.<group>.<version>.<Kind>`).
 */
export function placeholderSchemas(group: string, version: string, kind: string): { kind: TObject; list: TObject } {
  const pkg = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').split('.')[0];
  const item = Type.Object(
    { ...typeMeta(), metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')) },
    {
      $id: `io.k8s.api.${pkg}.${version}.${kind}`,
      description: `A ${kind} (${group || 'core'}/${version}).`,
      ...gvk(group, version, kind),
      [X.preserveUnknownFields]: true,
    },
  );
  return { kind: item, list: listSchema(item, kind) };
}
