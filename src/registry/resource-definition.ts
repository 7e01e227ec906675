/**
 * What a kind contributes to the generic store: its names, scope, strategy hooks and the fields its
 * selectors can see. Everything else (CRUD, versions, watch) is written once in the registry.
 */
import type { FieldError } from '../apimachinery/field-errors.js';
import type { KubeObject, ObjectMeta } from '../apimachinery/object.js';
import type { TableConvertor } from '../apimachinery/table.js';
import type { Ipv4Cidr, PortRange } from '../apimachinery/ipv4.js';
import type { TObject } from '@sinclair/typebox';
import { groupResourceString } from '../apimachinery/status.js';
import type { NameValidator } from '../apimachinery/validation/names.js';
import type { UserInfo } from '../apimachinery/user-info.js';
import type { Authorizer } from '../apimachinery/authorization.js';

export interface Strategy<T extends KubeObject = KubeObject> {
  /** Apply API defaults (SetDefaults_*) to a decoded body, on create and on update. */
  defaults?(obj: T): void;
  /** Reset fields a create may not set (status), set generation etc. */
  prepareForCreate?(obj: T): void;
  /** Keep what this endpoint may not change (status for the main resource, spec for /status). */
  prepareForUpdate?(obj: T, old: T): void;
  /**
   * The kind's create validation (its strategy's Validate). Most kinds' begins with ValidateObjectMeta,
   * which the store runs before it; with `ownObjectMetaOnCreate` it calls `meta.create()` itself where
   * upstream's does, or not at all.
   */
  validate?(obj: T, meta: Pick<ObjectMetaChecks, 'create'>): FieldError[];
  /**
   * The kind's create validation does not begin with the store's ValidateObjectMeta: `validate` calls
   * it where upstream's does (events.k8s.io/v1), with a name rule that reads the object (CRDs), or
   * never (PodDisruptionBudgets, core/v1 Events), and then only rest.BeforeCreate's own check of the
   * metadata applies, once the kind's validation passed.
   */
  ownObjectMetaOnCreate?: boolean;
  /**
   * The kind's update validation (its strategy's ValidateUpdate). The store has already run
   * rest.BeforeUpdate's common checks of the metadata; `meta` gives the ObjectMeta validations
   * that upstream's ValidateXUpdate calls again, to be called where it calls them.
   */
  validateUpdate?(obj: T, old: T, meta: ObjectMetaChecks): FieldError[];
  /** Warnings for a valid write (WarningsOnCreate / WarningsOnUpdate); `old` is undefined on create. */
  warnings?(obj: T, old: T | undefined): string[];
  /**
   * A status strategy only: what a /status write does with the metadata it brings, as upstream's
   * status strategies decide in their PrepareForUpdate (see StatusMetadata). Absent: 'written'.
   */
  statusMetadata?: StatusMetadata;
}

/**
 * The ObjectMeta validations of the object being updated that a kind's update validation calls
 * itself, as upstream's ValidateXUpdate functions do (so an error in the metadata is listed once
 * for each call among the causes of the 422, and once in its message). Both are the built-in
 * kinds' (pkg/apis/core/validation: the finalizer name rule added) unless the kind has
 * `genericObjectMeta` or is a custom resource (k8s.io/apimachinery/pkg/api/validation's).
 */
export interface ObjectMetaChecks {
  /**
   * ValidateObjectMeta of the new object with the kind's name rule (what the create validation
   * calls), or with `nameFn` when the kind's rule reads the object (a CRD's name is its plural.group).
   */
  create(nameFn?: NameValidator): FieldError[];
  /** ValidateObjectMetaUpdate of the new object against the stored one. */
  update(): FieldError[];
}

/**
 * How a /status write treats metadata. Whatever the rule, the generic update rules run after it
 * (uid, creationTimestamp, deletion fields, generation, name and namespace are not the writer's).
 * - 'written': the writer's labels, annotations, finalizers and ownerReferences are stored (most
 *   built-in status strategies only copy the spec back: nodes, services, namespaces, DaemonSets,
 *   PodDisruptionBudgets, CRDs; pods keep their ownerReferences in their own prepareForUpdate).
 * - 'reset': metav1.ResetObjectMetaForStatus: labels, annotations, finalizers, ownerReferences,
 *   deletionTimestamp and generation stay the stored ones.
 * - 'stored': all of the stored metadata but managedFields (custom resources: the status strategy
 *   starts from the stored object and takes only the status).
 */
export type StatusMetadata = 'written' | 'reset' | 'stored';

/** The fields metav1.ResetObjectMetaForStatus takes from the stored metadata. */
const RESET_FOR_STATUS = ['deletionTimestamp', 'generation', 'labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

/**
 * Applies a status strategy's metadata rule to the metadata of a /status write, in place (`meta`
 * is the write's own copy; the values taken from `old` are shared, never changed later).
 */
export function statusWriteMetadata(rule: StatusMetadata | undefined, meta: ObjectMeta, old: ObjectMeta): ObjectMeta {
  if (rule === 'stored') {
    const managedFields = meta.managedFields;
    const kept: ObjectMeta = { ...old };
    if (managedFields) kept.managedFields = managedFields;
    else delete kept.managedFields;
    return kept;
  }
  if (rule === 'reset') {
    for (const key of RESET_FOR_STATUS) {
      if (old[key] === undefined) delete meta[key];
      else (meta as Record<string, unknown>)[key] = old[key];
    }
  }
  return meta;
}

/** Who asks a create-only kind, and the authorizer its answer may consult (access reviews). */
/**
 * A create-only kind that is never stored (authorization.k8s.io reviews): POST on the collection
 * answers 201 with what `create` returns; every other verb on it is refused (405 on the collection,
 * 404 below it). Discovery lists it with the single verb `create`.
 */
export interface VirtualCreate {
  /** The answer to a POST; `body` is the decoded, kind-checked request object; `request` says who asks, and when. */
  create(body: KubeObject | undefined, namespace: string | undefined, request: VirtualRequest): KubeObject;
}

/** Who sends a create-only request (the authenticated user), and the server's time of it (ms). */
export interface VirtualRequest {
  user: UserInfo;
  now: number;
  /** Answers whether a user may do something (access reviews ask it). */
  authorizer: Authorizer;
}

/** A kind a request body may carry besides the resource's own, with its upstream protobuf message. */
export interface RequestKind {
  group: string;
  version: string;
  kind: string;
  /** Full name of the upstream protobuf message ('k8s.io.api.core.v1.Binding'). */
  protobuf: string;
}

/** A subresource served outside the generic routes (pods/log, pods/binding …), as discovery lists it. */
export interface Subresource {
  name: string;
  verbs: string[];
  /** The kind it answers with, when it differs from the resource's (group and version default to the resource's). */
  group?: string;
  version?: string;
  kind?: string;
  /** The kinds its request body may be (pods/eviction: policy/v1 and policy/v1beta1 Eviction). */
  requestKinds?: RequestKind[];
}

/** Every DELETE may carry DeleteOptions, in meta.k8s.io/v1 or (as older clients send it) in v1. */
export const DELETE_OPTIONS_KINDS: readonly RequestKind[] = ['meta.k8s.io', ''].map((group) => ({
  group,
  version: 'v1',
  kind: 'DeleteOptions',
  protobuf: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
}));

/**
 * Read access to the current objects of any stored kind, by plural ('serviceaccounts'), for the
 * hooks of a kind that depend on other objects (admission, allocation). Namespace '' or undefined
 * for cluster-scoped kinds; `list` without a namespace reads every namespace.
 */
export interface ClusterReader {
  /** `resource`: the kind's resourceKey (a core kind's plural). */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  /** The names of every current object of the kind, no body read (IPAddresses, named by what they hold). */
  names(resource: string): string[];
}

/**
 * What a kind does on writes beyond its strategy, with the cluster in view (upstream's admission
 * plugins and the REST storage's allocation). Each may throw a StatusError; none writes anything.
 */
export interface WriteHooks<T extends KubeObject = KubeObject> {
  /**
   * A create's preparation by the kind's REST storage, before the strategy's prepareForCreate and
   * validation (upstream's BeginCreate: the Service REST makes clusterIPs agree with clusterIP).
   */
  beginCreate?(obj: T): void;
  /**
   * Mutating and validating admission of the main resource: after defaults, before the strategy
   * (the ServiceAccount plugin: default serviceAccountName, token volume, refuse a missing account).
   * `old` is undefined on create.
   */
  admit?(obj: T, old: T | undefined, cluster: ClusterReader): void;
  /**
   * Validating admission of a create, after the strategy's validation (so a 422 comes before it),
   * before allocation: upstream's ValidationInterface plugins that only look at creates (RuntimeClass).
   */
  validateCreate?(obj: T, cluster: ClusterReader): void;
  /**
   * After validation, before the commit of the main resource (the service REST's clusterIP and
   * nodePort allocation). `old` is undefined on create. Runs on dry-run writes too (`write.dryRun`).
   */
  allocate?(obj: T, old: T | undefined, cluster: ClusterReader, write: WriteContext): void;
  /**
   * The objects of other kinds that follow this one (the IPAddress of each Service cluster IP):
   * what a committed write of `obj` (undefined: the object is gone) over `old` (undefined: a
   * create) creates and releases. The store creates them just before its commit (undoing that when
   * the commit does not happen) and releases them after it, never on a dry run.
   */
  companions?(obj: T | undefined, old: T | undefined): Companions;
}

/** Objects a write brings along, each named by its kind's resourceKey (see WriteHooks.companions). */
export interface Companions {
  create: { resource: string; object: KubeObject }[];
  /** Deleted by name once the write is committed; one already gone is no error. */
  release: { resource: string; namespace?: string; name: string }[];
}

/** Writes the companions of a write, as the server (the registry gives the store one). */
export interface CompanionWriter {
  /** Creates them in order; on a failure deletes those created and throws. Returns what undoes the creates. */
  create(objects: Companions['create']): () => void;
  release(refs: Companions['release']): void;
}

/**
 * kube-apiserver's service network flags (--service-cluster-ip-range, --service-node-port-range):
 * the one server setting a kind's hooks read, handed through the registry's options.
 */
export interface ServiceNetwork {
  clusterIPRange: Ipv4Cidr;
  nodePortRange: PortRange;
}

/** What an allocate hook knows of the write beyond the objects. */
export interface WriteContext {
  dryRun: boolean;
  /** Who asked for the write (a client's request); undefined for the server's own writes (controllers, bootstrap). */
  user?: UserInfo;
  serviceNetwork: ServiceNetwork;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  group: string; // "" for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /**
   * The key prefix under etcd's /registry where it differs from the plural, as kube-apiserver lays
   * it out (`minions` for nodes, `services/specs`, `<group>/<plural>` for custom resources).
   */
  etcdResourcePrefix?: string;
  shortNames?: string[];
  categories?: string[];
  /** Whether metadata.generation is tracked (bumped when the spec changes). */
  tracksGeneration?: boolean;
  /**
   * What a generation bump compares, old against new (default: `spec`). Custom resources: all but
   * metadata (and status, with a status subresource).
   */
  generationSubject?(obj: T): unknown;
  /**
   * A kind defined at run time (a custom resource): its objects are unstructured JSON upstream, so a
   * field of the wrong type is not a decoding error (400) but a schema validation error (422), and
   * strategic merge patches are refused (415).
   */
  unstructured?: boolean;
  /** The scale subresource of a custom resource: where its replicas and selector live (simple JSON paths). */
  scale?: ScalePaths;
  /** Validate metadata.name as a DNS-1123 label instead of a subdomain (namespaces). */
  nameIsDnsLabel?: boolean;
  /** A name rule of its own (RBAC kinds: any valid path segment); wins over nameIsDnsLabel. */
  nameValidator?: NameValidator;
  /**
   * Its metadata is validated by the generic ValidateObjectMeta (apimachinery), not the built-in
   * kinds' (pkg/apis/core/validation), so a finalizer without a domain need not be a standard one:
   * Leases, CRDs (custom resources, being unstructured, are generic too).
   */
  genericObjectMeta?: boolean;
  /** Whether DELETE answers with the object (pods, namespaces) or with a Status. */
  deleteReturnsObject?: boolean;
  strategy: Strategy<T>;
  /**
   * Upstream's AllowCreateOnUpdate: a PUT naming a missing object creates it (201) by the create
   * rules (create admission, the kind's create strategy and hooks, the create verb authorized)
   * instead of answering 404. The main resource only: /status follows statusCreatesOnUpdate.
   */
  allowCreateOnUpdate?: boolean;
  /** Present when the kind has a /status subresource. */
  statusStrategy?: Strategy<T>;
  /**
   * The status strategy's AllowCreateOnUpdate, where it says yes (the Service status strategy
   * embeds the Service strategy and so inherits its true): a PUT or an apply of /status naming a
   * missing object creates it (201) by the main strategy's create rules (its status reset), but
   * with none of the kind's hooks, as upstream's status store is a copy of the main store made
   * before the REST storage set its own (no allocation, no normalizing). Other kinds answer 404.
   */
  statusCreatesOnUpdate?: boolean;
  /**
   * Upstream's GetResetFields: the fields each strategy resets, which no manager owns from a write
   * to the main resource (`main`) or to /status (`status`); dotted paths. A kind with a /status
   * subresource that declares none gets DEFAULT_RESET_FIELDS.
   */
  resetFields?: ResetFields;
  /** Admission and allocation that read other objects (see WriteHooks). */
  hooks?: WriteHooks<T>;
  /** Field selector labels beyond metadata.name / metadata.namespace (pods: spec.nodeName …). */
  fieldLabels?: string[];
  /** The values of `fieldLabels` for one object. */
  selectableFields?(obj: T): Record<string, string>;
  /**
   * The kind's REST storage checks a DELETE's preconditions itself, before the generic store would
   * (the namespace REST), and words the 409 its own way: "Precondition failed: UID in precondition:
   * …" on the resource, where rest.BeforeDelete says "the UID in the precondition (…) does not match
   * the UID in record (…)" on the kind.
   */
  ownDeletePreconditions?: boolean;
  /** Refuses a DELETE (throws a StatusError), e.g. the system namespaces. */
  admitDelete?(obj: T): void;
  /**
   * Changes the object a DELETE starts from, before the deletion rules run (upstream's CRD REST
   * adds its cleanup finalizer this way, so the CRD waits for its objects to go).
   */
  prepareForDelete?(obj: T): void;
  /**
   * Called on DELETE before anything is removed: return true to keep the object, marked as
   * terminating (namespaces with spec.finalizers), false to let the generic rules decide.
   */
  retainOnDelete?(obj: T, now: number): boolean;
  /**
   * Kinds with graceful deletion (pods): the grace period a DELETE gets, given the one requested.
   * Absent = deletion is immediate.
   */
  gracePeriodSeconds?(obj: T, requested: number | undefined): number;
  /** Extra subresources served elsewhere, for discovery (e.g. pods/log). */
  extraSubresources?: Subresource[];
  /** `kubectl get` columns and cells (meta.k8s.io Table); absent = NAME and CREATED AT only. */
  table?: TableConvertor<T>;
  /**
   * A deprecated kind (upstream's prerelease-lifecycle `deprecated` tag): every request to it
   * answers with the warning "<apiVersion> <Kind> is deprecated in v<since>+; use <replacement>".
   */
  deprecated?: { since: string; replacement: string };
  /** A deprecated version of a custom resource: the warning every request to it answers with. */
  deprecationWarning?: string;
  /** Present for create-only kinds that are computed, never stored (see VirtualCreate). */
  virtual?: VirtualCreate;
  /**
   * The kind's schema and list schema: the one source for pruning, field order, OpenAPI,
   * strategic-merge metadata, `kubectl explain` and the kind's TypeScript type.
   */
  schema: TObject;
  listSchema: TObject;
  /**
   * The upstream protobuf message of the kind, by its full name ('k8s.io.api.core.v1.Pod'); '' for
   * a kind read from JSON and YAML only (custom resources, CRDs), whose protobuf bodies answer 415.
   */
  protobuf: string;
  /**
   * Further group-versions this kind is served in, each a conversion of the stored form (as
   * kube-apiserver installs one REST storage in two API groups: core/v1 and events.k8s.io/v1 Event).
   * The registry derives one definition per entry (see served-versions.ts).
   */
  servedVersions?: ServedVersion<T>[];
  /** Set on a definition derived from a ServedVersion: how its objects relate to the stored kind. */
  conversion?: Conversion<T>;
}

export interface ResetFields {
  main: readonly string[];
  status: readonly string[];
}

/** The main resource resets the status, /status resets the spec (most kinds' strategies). */
export const DEFAULT_RESET_FIELDS: ResetFields = { main: ['status'], status: ['spec'] };

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/**
 * One more group/version of a stored kind: same resource name, scope, storage, resourceVersions,
 * table and delete rules; its own schema, conversion, field labels and write validation.
 */
export interface ServedVersion<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  schema: TObject;
  listSchema: TObject;
  /** The upstream protobuf message of the kind in this version ('k8s.io.api.events.v1.Event'). */
  protobuf: string;
  /** The served form of a stored object (what GET, LIST and WATCH answer). */
  fromStorage(obj: T): KubeObject;
  /** The stored form of a served object (what a create, update or patch writes). */
  toStorage(obj: KubeObject): T;
  /**
   * Field selector labels this version accepts, mapped to the stored kind's labels (upstream's
   * field label conversion function); any other label is a 400 `field label not supported`.
   */
  fieldLabels: Record<string, string>;
  /** Validation of writes that come in through this version, on the stored form (upstream passes the request's group-version). */
  validate?(obj: T, meta: Pick<ObjectMetaChecks, 'create'>): FieldError[];
  validateUpdate?(obj: T, old: T, meta: ObjectMetaChecks): FieldError[];
  /** This version is deprecated: the warning every request to it answers with. */
  deprecationWarning?: string;
}

export interface Conversion<T extends KubeObject = KubeObject> {
  /** The definition of the stored kind (errors name its group and resource, as the shared REST storage does). */
  storage: ResourceDefinition<T>;
  fromStorage(obj: T): KubeObject;
  toStorage(obj: KubeObject): T;
  /** This version's field label → the stored kind's. */
  fieldLabels: Record<string, string>;
}

/**
 * The strategy of a /status subresource, as upstream's status strategies: the spec stays the stored
 * one whatever the body says, the metadata is the writer's unless `more.statusMetadata` says
 * otherwise; `more` adds the kind's own status rules (defaults, validation).
 */
export function statusKeepsSpec<T extends KubeObject & { spec?: unknown }>(more: Strategy<T> = {}): Strategy<T> {
  return {
    ...more,
    prepareForUpdate(obj, old) {
      obj.spec = old.spec;
      more.prepareForUpdate?.(obj, old);
    },
  };
}

/**
 * The key a kind's objects are stored, published and cached under: its plural in the group of its
 * stored kind (`pods`, `daemonsets.apps`, `pods.example.com`), so kinds of the same plural in
 * different groups (a CRD's `pods.example.com` beside core `pods`) never share one.
 */
export function resourceKey(group: string, plural: string): string {
  return groupResourceString({ group, resource: plural });
}

/**
 * Where a stored kind's objects live under etcd's /registry, as kube-apiserver keys them: its
 * `etcdResourcePrefix`, else the bare plural.
 */
export function etcdResourcePrefix(def: Pick<ResourceDefinition, 'plural' | 'etcdResourcePrefix'>): string {
  return def.etcdResourcePrefix ?? def.plural;
}

/** A definition's storage key: a served version shares its stored kind's. */
export function storageResource(def: Pick<ResourceDefinition, 'group' | 'plural' | 'conversion'>): string {
  return resourceKey((def.conversion?.storage ?? def).group, def.plural);
}

/** The Warning every request to this group-version of the kind gets, if it is deprecated. */
export function deprecationWarningOf(def: ResourceDefinition): string | undefined {
  if (def.deprecationWarning !== undefined) return def.deprecationWarning;
  const d = def.deprecated;
  return d && `${apiVersionOf(def)} ${def.kind} is deprecated in v${d.since}+; use ${d.replacement}`;
}

export function apiVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
