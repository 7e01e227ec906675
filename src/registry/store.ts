/**
 * The generic store: create, read, update, delete and list for any kind, written once (k8s
 * generic/registry.Store). Kinds plug in through their ResourceDefinition and Strategy.
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../apimachinery/object.js';
import type { FieldError } from '../apimachinery/field-errors.js';
import { path } from '../apimachinery/field-errors.js';
import {
  alreadyExists,
  conflict,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  reasonless,
  StatusError,
  StatusReason,
  type GroupResource,
} from '../apimachinery/status.js';
import { rfc3339 } from '../apimachinery/object.js';
import { effectivePolicy, type DeleteOptions, type PropagationPolicy } from './delete-options.js';
import { validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from '../apimachinery/validation/object-meta.js';
import { nameIsPathSegment, type NameValidator } from '../apimachinery/validation/names.js';
import type { Change, EventType } from '../storage/object-store.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { Clock } from '../apimachinery/clock.js';
import type { UserInfo } from '../apimachinery/user-info.js';
import {
  etcdResourcePrefix,
  storageResource,
  statusWriteMetadata,
  type ClusterReader,
  type CompanionWriter,
  type Companions,
  type ResourceDefinition,
  type ServiceNetwork,
  type Strategy,
  type WriteContext,
  type ObjectMetaChecks,
} from './resource-definition.js';
import type { ChangeEvent, WatchHub } from './watch-hub.js';
import type { WriteBatch } from './write-batch.js';
import type { ChangeFeed } from './change-feed.js';
import type { WatchWindows } from './watch-window.js';
import { generateName } from '../apimachinery/names.js';
import { fillSystemMetaOnCreate, keepSystemMetaOnUpdate, sameObject } from './object-meta.js';
import { canonicalize } from './serialize.js';
import { stringifyGo } from '../apimachinery/go-json.js';
import { matchesOptions, type ListOptions } from './list-options.js';
import { readList, type ListResult } from './paged-list.js';
import { StoreWatch, type Watch } from './store-watch.js';
import { InitialStates } from './initial-state.js';
import type { WatchOptions } from './watch-options.js';
import { applyConfiguration, recordUpdateOwnership } from './field-ownership.js';

export interface WriteResult {
  object: KubeObject;
  json: string;
}

export interface DeleteResult extends WriteResult {
  /** True when the object is gone; false when it was only marked for deletion. */
  removed: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** 'status', or another subresource (pods/binding) whose handler brings its update rules. */
  subresource?: string;
  /** The rules of a subresource other than status, owned by its handler (as upstream's BindingREST). */
  subresourceStrategy?: Strategy;
  /** Receives the strategy's warnings for a valid write (the HTTP layer sends them as Warning headers). */
  warn?(texts: string[]): void;
  /** Who writes, recorded in managedFields (DEFAULT_FIELD_MANAGER when absent: a controller's write). */
  fieldManager?: string;
  /** The write is a server-side apply whose managedFields applyConfiguration has set already. */
  applied?: boolean;
  /** Who asked for the write (handed to the kind's hooks); undefined for the server's own writes. */
  user?: UserInfo;
  /**
   * A client's create: a resourceVersion in the object is refused where kube-apiserver's storage
   * refuses it (after validation, not in a dry run), with its plain error (a 500 without a reason).
   */
  refuseResourceVersion?: boolean;
  /**
   * A PUT that turns into a create (create-on-update): asks whether the writer may also create,
   * after the create's validation and before its validating admission, as upstream's update
   * handler wraps the create validation; throws the 403 when not.
   */
  authorizeCreate?(): void;
}

/** Where ObjectMeta errors point (a path is never changed: one serves every write). */
const METADATA = path('metadata');

/** What a PUT did: updated the object, or (a kind that allows create-on-update) created it. */
export interface UpdateResult extends WriteResult {
  created: boolean;
}

/** Runs before a create is committed (namespace lifecycle lives here); may throw a StatusError. */
export type CreateAdmission = (def: ResourceDefinition, obj: KubeObject) => void;

/** kube-apiserver's --etcd-prefix default: the root of the keys its storage errors name. */
const DEFAULT_KEY_ROOT = '/registry';
const MAX_NAME_GENERATION_ATTEMPTS = 8;
const MAX_PATCH_ATTEMPTS = 16;

export interface StoreContext {
  storage: StorageBackend;
  hub: WatchHub;
  /** Every commit goes to the hub (and its resource's watch window) through the feed, in revision order. */
  feed: ChangeFeed;
  watchWindows: WatchWindows;
  clock: Clock;
  admitCreate: CreateAdmission[];
  /** What a kind's write hooks read other objects with. */
  cluster: ClusterReader;
  /** The service network settings allocate hooks read. */
  serviceNetwork: ServiceNetwork;
  /** A kubelet finishes graceful pod deletion; without one, deletes are immediate. */
  gracefulDeletion: boolean;
  /** A garbage collector handles the orphan / foregroundDeletion finalizers. */
  garbageCollection: boolean;
  /** Writes that need not wait for their outcome, committed together (Registry.batched). */
  batch: WriteBatch;
  /** Writes the objects of other kinds a write brings along (WriteHooks.companions). */
  companions: CompanionWriter;
}

/** The finalizers a DELETE leaves on the object for the garbage collector, as upstream. */
function withPolicyFinalizers(current: string[] | undefined, policy: PropagationPolicy, explicit: boolean): string[] {
  const set = (current ?? []).slice();
  const drop = (f: string) => {
    const i = set.indexOf(f);
    if (i >= 0) set.splice(i, 1);
  };
  if (policy === 'Orphan') {
    drop('foregroundDeletion');
    if (!set.includes('orphan')) set.push('orphan');
  } else if (policy === 'Foreground') {
    drop('orphan');
    if (!set.includes('foregroundDeletion')) set.push('foregroundDeletion');
  } else if (explicit) drop('orphan');
  return set;
}

export class ResourceStore<T extends KubeObject = KubeObject> {
  /**
   * The resource its errors name (not found, conflict, already exists, a delete's details): the
   * request's group, as upstream's qualifiedResourceFromContext takes it from the request, so a
   * served version (events.k8s.io events) names its own group though it shares the stored kind's
   * REST storage.
   */
  readonly gr: GroupResource;
  /** The stored kind's group, which its validation errors name (the strategy's kind of the internal type). */
  private readonly kindGroup: string;
  /** Where its objects live in storage, the watch hub and the controllers' cache (resourceKey). */
  readonly resource: string;
  private readonly schema: TSchema | undefined;
  /** Whether finalizer names follow the built-in kinds' rule (a standard name or a domain) rather than the generic one. */
  private readonly kubeFinalizers: boolean;
  /** Where its objects live under etcd's root (`pods`, `services/specs`), as kube-apiserver names them in storage errors. */
  private readonly etcdPrefix: string;
  /** The current state its watches start with, shared by those that start together (initial-state.ts). */
  private readonly initialStates = new InitialStates();

  constructor(
    readonly def: ResourceDefinition<T>,
    private readonly ctx: StoreContext,
  ) {
    // A served version stores in the stored kind's form (and field order).
    const stored = (def.conversion?.storage ?? def) as ResourceDefinition;
    this.gr = { group: def.group, resource: def.plural };
    this.kindGroup = stored.group;
    this.resource = storageResource(def);
    this.schema = stored.schema;
    this.kubeFinalizers = !def.genericObjectMeta && !def.unstructured;
    this.etcdPrefix = etcdResourcePrefix(stored);
    ctx.storage.defineResource(this.resource, this.etcdPrefix);
  }

  private key(namespace: string | undefined): string {
    return this.def.namespaced ? (namespace ?? '') : '';
  }

  /**
   * Makes the reads that follow see every write committed before now, also a peer replica's (a
   * round trip on etcd; nothing on SQLite, which this process alone writes).
   */
  syncReads(): void {
    this.ctx.feed.sync();
  }

  /** The stored JSON, without parsing: the fast path of a client's GET (storage may keep it for the client's next read). */
  getJson(namespace: string | undefined, name: string): string {
    return this.storedBody(namespace, name, true);
  }

  get(namespace: string | undefined, name: string): T {
    return JSON.parse(this.storedBody(namespace, name, false)) as T;
  }

  /** The current body, or 404; `remember`: a client's read (StorageBackend.get). */
  private storedBody(namespace: string | undefined, name: string, remember: boolean): string {
    const row = this.ctx.storage.get(this.resource, this.key(namespace), name, remember);
    if (!row) throw notFound(this.gr, name);
    return row.body;
  }

  tryGet(namespace: string | undefined, name: string): T | undefined {
    const row = this.ctx.storage.get(this.resource, this.key(namespace), name);
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  list(namespace: string | undefined, opts: ListOptions = {}): ListResult<T> {
    return readList(this.ctx.storage, this.def, namespace, opts) as ListResult<T>;
  }

  /** Every current object of this kind (in one namespace or all), parsed. */
  all(namespace?: string): T[] {
    return this.ctx.storage
      .list(this.resource, namespace === undefined ? undefined : this.key(namespace))
      .map((r) => JSON.parse(r.body) as T);
  }

  /** Every current object's namespace ('' when cluster-scoped), name and resourceVersion, without reading a body. */
  revisions(): { namespace: string; name: string; rv: number }[] {
    return this.ctx.storage.listVersions(this.resource);
  }

  /**
   * WATCH (store-watch.ts): checks the options now (a StatusError when they are bad); the events
   * flow once the watch is started.
   */
  watch(options: WatchOptions = {}): Watch<T> {
    return new StoreWatch<T>(this.def, this.ctx, options, this.initialStates);
  }

  /** Resolves once every write committed so far is durable (group commit: see StorageBackend). */
  whenDurable(): Promise<void> {
    return this.ctx.storage.whenDurable();
  }

  /** Whether every write committed so far is durable now (false when the storage cannot tell at once). */
  isDurable(): boolean {
    return this.ctx.storage.isDurable?.() ?? false;
  }

  matches(obj: T, opts: ListOptions): boolean {
    return matchesOptions(this.def, obj, opts);
  }

  /**
   * POST semantics, and the create a PUT of a missing object makes. With `subresource: 'status'`
   * (a kind whose status strategy creates on update) the write is recorded as the /status
   * endpoint's and the kind's hooks do not run: upstream's status store has none.
   */
  create(obj: T, opts: WriteOptions = {}): WriteResult {
    const strategy = this.def.strategy;
    const hooks = opts.subresource ? undefined : this.def.hooks;
    const requestedVersion = obj.metadata.resourceVersion;
    strategy.defaults?.(obj);
    if (!opts.applied) this.recordOwnership(undefined, obj, opts);
    // Admission (namespace lifecycle) runs before the strategy, as upstream's admission chain does.
    for (const admit of this.ctx.admitCreate) admit(this.def, obj);
    hooks?.admit?.(obj, undefined, this.ctx.cluster);
    const explicitName = obj.metadata.name;
    hooks?.beginCreate?.(obj);
    strategy.prepareForCreate?.(obj);
    fillSystemMetaOnCreate(this.def, obj, this.ctx.clock.now());
    // rest.BeforeCreate: the strategy's Validate (most kinds' begins with ValidateObjectMeta), then,
    // only if that passed, apimachinery's ValidateObjectMetaAccessor with the path segment name rule.
    const meta = { create: (nameFn?: NameValidator) => validateObjectMeta(obj.metadata, this.metaOptions(nameFn), METADATA) };
    const own = strategy.validate?.(obj, meta) ?? [];
    this.validateOrThrow(obj, strategy.ownObjectMetaOnCreate ? own : [...meta.create(), ...own]);
    this.validateOrThrow(obj, validateObjectMeta(obj.metadata, { namespaced: this.def.namespaced, nameFn: nameIsPathSegment }, METADATA));
    opts.authorizeCreate?.();
    hooks?.validateCreate?.(obj, this.ctx.cluster);
    hooks?.allocate?.(obj, undefined, this.ctx.cluster, this.writeContext(opts));
    if (strategy.warnings && opts.warn) opts.warn(strategy.warnings(obj, undefined));
    // etcd3's store.Create: a version that parses as a number other than 0 (a malformed one is ignored).
    if (opts.refuseResourceVersion && !opts.dryRun && requestedVersion && /^\d+$/.test(requestedVersion) && Number(requestedVersion) !== 0)
      throw reasonless('resourceVersion should not be set on objects to be created');
    const namespace = this.key(obj.metadata.namespace);
    for (let attempt = 1; ; attempt++) {
      const name = obj.metadata.name!;
      if (opts.dryRun) {
        if (!this.ctx.storage.exists(this.resource, namespace, name)) return this.dryRunResult(obj);
      } else {
        // The commit's compare-and-swap (expect no object) is the existence check.
        const result = this.commitWith(hooks?.companions, 'ADDED', obj, 0);
        if (result) return result;
        delete obj.metadata.resourceVersion;
      }
      if (explicitName || !obj.metadata.generateName) throw alreadyExists(this.gr, name);
      if (attempt >= MAX_NAME_GENERATION_ATTEMPTS) {
        throw alreadyExists(this.gr, name, ', the server was not able to generate a unique name for the object');
      }
      // A generated name that collided: another suffix (the prefix was validated already).
      obj.metadata.name = generateName(obj.metadata.generateName);
    }
  }

  /**
   * PUT semantics: `obj` replaces the object (the main resource keeps its status, /status keeps
   * the spec). A resourceVersion in `obj` must match; none means unconditional. A uid in `obj` is
   * a precondition. A missing object is a 404, unless the endpoint's strategy allows create-on-update
   * (createsOnUpdate): then the PUT is a create (whatever resourceVersion `obj` names, as upstream's
   * storage drops it).
   */
  update(namespace: string | undefined, name: string, obj: T, opts: WriteOptions = {}): UpdateResult {
    // A pinned resourceVersion never retries; an unconditional update retries from the object as
    // given, and so does a create that lost its race (the object is then updated).
    const pinned = !!obj.metadata?.resourceVersion;
    let pristine = pinned ? undefined : JSON.stringify(obj);
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 || pristine === undefined ? obj : (JSON.parse(pristine) as T);
      const row = this.ctx.storage.get(this.resource, this.key(namespace), name);
      const old = row && (JSON.parse(row.body) as T);
      this.checkUidPrecondition(candidate, old, namespace, name);
      if (!row) {
        if (!this.createsOnUpdate(opts.subresource)) throw notFound(this.gr, name);
        pristine ??= JSON.stringify(candidate);
        const created = this.createOnUpdate(candidate, opts);
        if (created) return { ...created, created: true };
      } else {
        const result = this.updateFrom(old!, row.rv, candidate, opts);
        if (result) return { ...result, created: false };
        if (pinned) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
      }
      if (attempt >= MAX_PATCH_ATTEMPTS) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
    }
  }

  /**
   * Whether an update of a missing object creates it: the AllowCreateOnUpdate of the endpoint's
   * update strategy (the main resource's, or /status's); no other subresource creates.
   */
  createsOnUpdate(subresource: string | undefined): boolean {
    if (subresource === 'status') return !!this.def.statusStrategy && !!this.def.statusCreatesOnUpdate;
    return !subresource && !!this.def.allowCreateOnUpdate;
  }

  /** The create a PUT of a missing object makes; undefined when another writer created it first. */
  private createOnUpdate(obj: T, opts: WriteOptions): WriteResult | undefined {
    try {
      return this.create(obj, opts);
    } catch (e) {
      if (e instanceof StatusError && e.reason === StatusReason.AlreadyExists) return undefined;
      throw e;
    }
  }

  /**
   * A uid in a PUT's object is a precondition on the stored one, checked before anything else (a
   * missing object's uid is empty), with etcd3's storage error as the reason of the 409.
   */
  private checkUidPrecondition(obj: T, stored: T | undefined, namespace: string | undefined, name: string): void {
    const uid = obj.metadata?.uid;
    const current = stored?.metadata.uid ?? '';
    if (!uid || uid === current) return;
    const key = `${this.ctx.storage.keyRoot ?? DEFAULT_KEY_ROOT}/${this.etcdPrefix}/${this.def.namespaced ? `${namespace ?? ''}/` : ''}${name}`;
    const precondition = `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current}`;
    throw conflict(
      this.gr,
      name,
      `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: ${precondition}`,
    );
  }

  /**
   * PUT from an object the caller knows was stored at its resourceVersion (an informer's copy of
   * the committed object): no read back, one compare-and-swap against that revision. A 409 when the
   * object moved on, as a pinned PUT. `current` is not modified (nested parts of `obj` may share it).
   */
  updateKnown(current: T, obj: T, opts: WriteOptions = {}): WriteResult {
    const name = current.metadata.name!;
    const rv = Number(current.metadata.resourceVersion);
    if (!Number.isSafeInteger(rv) || rv <= 0) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
    const result = this.updateFrom(current, rv, obj, opts);
    if (!result) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
    return result;
  }

  /**
   * Read-modify-write: `mutate` gets a copy of the current object and returns the desired one.
   * Retries on concurrent writes, mutating the new current object. The resourceVersion the copy
   * carries is no precondition (each attempt's copy has its own); one `mutate` sets is, and fails
   * the attempt whose object it does not name (updateFrom's check).
   */
  patch(namespace: string | undefined, name: string, mutate: (current: T) => T, opts: WriteOptions = {}): WriteResult {
    for (let attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
      const row = this.ctx.storage.get(this.resource, this.key(namespace), name);
      if (!row) throw notFound(this.gr, name);
      const old = JSON.parse(row.body) as T;
      const result = this.updateFrom(old, row.rv, mutate(JSON.parse(row.body) as T), opts);
      if (result) return result;
    }
    throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
  }

  /**
   * Read-modify-write from an object the caller knows was stored (an informer's copy, as for
   * updateKnown): `mutate` gets a shallow copy of `current` (its metadata copied too) and must
   * replace the nested values it changes, never change them in place (they are `current`'s). When
   * `current` is no longer the stored revision, the write is the read-modify-write of `patch`.
   */
  patchKnown(current: T, mutate: (copy: T) => T, opts: WriteOptions = {}): WriteResult {
    const rv = Number(current.metadata.resourceVersion);
    if (Number.isSafeInteger(rv) && rv > 0) {
      const result = this.updateFrom(current, rv, mutate({ ...current, metadata: { ...current.metadata } }), opts);
      if (result) return result;
    }
    return this.patch(current.metadata.namespace, current.metadata.name!, mutate, opts);
  }

  /** The update pipeline against a known old object; undefined when the CAS guard lost a race. */
  private updateFrom(old: T, oldRv: number, obj: T, opts: WriteOptions): WriteResult | undefined {
    const name = old.metadata.name!;
    obj.metadata ??= {};
    const requested = obj.metadata.resourceVersion;
    if (requested && requested !== String(oldRv)) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
    const strategy = this.strategyFor(opts);
    if (opts.subresource === 'status') {
      // The metadata of a /status write is what its status strategy says (statusMetadata), on a
      // copy of its own (the caller's object is not changed). The write is recorded before the
      // strategy runs, from the metadata as sent, as upstream's field manager sees it (the kind's
      // status reset fields say what it ignores); an apply brings the managedFields it recorded.
      obj.metadata = { ...obj.metadata };
      if (!opts.applied) this.recordOwnership(old, obj, opts);
      obj.metadata = statusWriteMetadata(strategy.statusMetadata, obj.metadata, old.metadata);
    } else if (opts.subresource) {
      // Another subresource (binding, eviction, scale …) changes no metadata: its handler brings
      // what it changes; an apply to it brings the managedFields it recorded.
      const applied = obj.metadata.managedFields;
      obj.metadata = { ...old.metadata };
      if (opts.applied) obj.metadata.managedFields = applied;
      if (opts.applied && !applied) delete obj.metadata.managedFields;
    } else {
      this.def.strategy.defaults?.(obj);
      if (!opts.applied) this.recordOwnership(old, obj, opts);
      this.def.hooks?.admit?.(obj, old, this.ctx.cluster);
    }
    strategy.prepareForUpdate?.(obj, old);
    keepSystemMetaOnUpdate(this.def, obj, old);
    // rest.BeforeUpdate: validateCommonFields (apimachinery's ValidateObjectMetaAccessor with the
    // path segment name rule, then ValidateObjectMetaAccessorUpdate), then the strategy's
    // ValidateUpdate, which most kinds begin by validating the metadata again (`meta`). Every
    // error is a cause, repeats included; the message lists each text once.
    const meta: ObjectMetaChecks = {
      create: (nameFn) => validateObjectMeta(obj.metadata, this.metaOptions(nameFn), METADATA),
      update: () => validateObjectMetaUpdate(obj.metadata, old.metadata, METADATA, { kubeFinalizers: this.kubeFinalizers }),
    };
    const errors = validateObjectMeta(obj.metadata, { namespaced: this.def.namespaced, nameFn: nameIsPathSegment }, METADATA);
    for (const e of validateObjectMetaUpdate(obj.metadata, old.metadata, METADATA)) errors.push(e);
    for (const e of strategy.validateUpdate?.(obj, old, meta) ?? []) errors.push(e);
    this.validateOrThrow(obj, errors);
    if (!opts.subresource) this.def.hooks?.allocate?.(obj, old, this.ctx.cluster, this.writeContext(opts));
    if (strategy.warnings && opts.warn) opts.warn(strategy.warnings(obj, old));
    obj.metadata.resourceVersion = String(oldRv);
    const finished = obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !obj.metadata.deletionGracePeriodSeconds;
    if (finished && !this.def.retainOnDelete?.(obj, this.ctx.clock.now())) {
      if (opts.dryRun) return this.dryRunResult(obj);
      return this.commitWith(this.def.hooks?.companions, 'DELETED', obj, oldRv, old);
    }
    // Compared as it would be written: what encoding leaves out (an empty omitempty map or slice
    // a client sent, where the stored object has none) is no change, as the stored bytes would not change.
    const written = canonicalize(obj, this.schema, old);
    if (this.unchanged(written, old)) return { object: old, json: stringifyGo(old) };
    if (opts.dryRun) return this.dryRunResult(written);
    return this.commitWith(this.def.hooks?.companions, 'MODIFIED', written, oldRv, old, true);
  }

  /**
   * DELETE: checks preconditions, then either marks the object (finalizers, a grace period, a
   * kind that retains it) or removes it. `removed` says which.
   */
  delete(namespace: string | undefined, name: string, options: DeleteOptions = {}, opts: WriteOptions = {}): DeleteResult {
    for (let attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
      const row = this.ctx.storage.get(this.resource, this.key(namespace), name);
      if (!row) throw notFound(this.gr, name);
      const old = JSON.parse(row.body) as T;
      const obj = JSON.parse(row.body) as T;
      this.checkPreconditions(obj, options);
      this.def.admitDelete?.(obj);
      this.def.prepareForDelete?.(obj);
      const now = this.ctx.clock.now();
      const grace =
        this.ctx.gracefulDeletion && this.def.gracePeriodSeconds ? this.def.gracePeriodSeconds(obj, options.gracePeriodSeconds) : 0;
      const finalizers = this.ctx.garbageCollection
        ? withPolicyFinalizers(
            obj.metadata.finalizers,
            effectivePolicy(options),
            options.propagationPolicy !== undefined || options.orphanDependents !== undefined,
          )
        : (obj.metadata.finalizers ?? []);
      const retain = this.def.retainOnDelete?.(obj, now) ?? false;
      const meta = obj.metadata;
      let type: EventType;
      if (!finalizers.length && !retain && (grace === 0 || (meta.deletionTimestamp && meta.deletionGracePeriodSeconds === 0))) {
        type = 'DELETED';
      } else {
        type = 'MODIFIED';
        if (finalizers.length) meta.finalizers = finalizers;
        else delete meta.finalizers;
        const remaining = meta.deletionTimestamp ? Math.max(0, Date.parse(meta.deletionTimestamp) - now) / 1000 : Infinity;
        if (!meta.deletionTimestamp || grace < remaining) {
          meta.deletionTimestamp = rfc3339(now + grace * 1000);
          meta.deletionGracePeriodSeconds = grace;
          if (this.def.tracksGeneration && !old.metadata.deletionTimestamp) meta.generation = (meta.generation ?? 0) + 1;
        }
        if (sameObject(obj, old)) return { object: old, json: row.body, removed: false };
      }
      if (opts.dryRun) return { ...this.dryRunResult(obj), removed: type === 'DELETED' };
      const result = this.commitWith(this.def.hooks?.companions, type, obj, row.rv, old);
      if (result) return { ...result, removed: type === 'DELETED' };
    }
    throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
  }

  /** DELETE on the collection: every object the options select, one by one. */
  deleteCollection(namespace: string | undefined, listOpts: ListOptions, options: DeleteOptions, opts: WriteOptions = {}): T[] {
    const deleted: T[] = [];
    for (const item of this.list(namespace, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector }).items) {
      try {
        deleted.push(this.delete(item.metadata.namespace, item.metadata.name!, options, opts).object as T);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return deleted;
  }

  /**
   * A DELETE's preconditions, checked first (rest.BeforeDelete): the 409 names the kind of the
   * stored type as its resource (`Event "x"`, `DaemonSet.apps "x"`), whichever group was asked. A
   * kind whose REST storage checks them itself (namespaces) answers in that storage's words.
   */
  private checkPreconditions(obj: T, options: DeleteOptions): void {
    const pre = options.preconditions;
    if (!pre) return;
    const name = obj.metadata.name!;
    const { uid, resourceVersion } = obj.metadata;
    if (this.def.ownDeletePreconditions) {
      if (pre.uid && pre.uid !== uid) {
        throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid}`);
      }
      if (pre.resourceVersion && pre.resourceVersion !== resourceVersion) {
        const text = `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${resourceVersion}`;
        throw conflict(this.gr, name, text);
      }
      return;
    }
    const kind = { group: this.kindGroup, resource: this.def.kind };
    if (pre.uid && pre.uid !== uid) {
      const text = `the UID in the precondition (${pre.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`;
      throw conflict(kind, name, text);
    }
    if (pre.resourceVersion && pre.resourceVersion !== resourceVersion) {
      const text = `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`;
      throw conflict(kind, name, text);
    }
  }

  private writeContext(opts: WriteOptions): WriteContext {
    const context: WriteContext = { dryRun: !!opts.dryRun, serviceNetwork: this.ctx.serviceNetwork };
    if (opts.user) context.user = opts.user;
    return context;
  }

  /** The kind's ObjectMeta validation: its name rule (or `nameFn`), its scope, and whose finalizer rule. */
  private metaOptions(nameFn?: NameValidator): ObjectMetaOptions {
    return {
      namespaced: this.def.namespaced,
      nameIsDnsLabel: this.def.nameIsDnsLabel,
      nameFn: nameFn ?? this.def.nameValidator,
      kubeFinalizers: this.kubeFinalizers,
    };
  }

  private strategyFor(opts: WriteOptions): Strategy<T> {
    if (opts.subresource === 'status') {
      if (!this.def.statusStrategy) throw notFound(this.gr, 'status');
      return this.def.statusStrategy;
    }
    if (opts.subresource) {
      if (!opts.subresourceStrategy) throw notFound(this.gr, opts.subresource);
      return opts.subresourceStrategy;
    }
    return this.def.strategy;
  }

  /**
   * Whether an update changes nothing. Through a served version the comparison is made in that
   * version's form: two stored forms it cannot tell apart (null or absent) are the same object.
   */
  private unchanged(obj: T, old: T): boolean {
    const conversion = this.def.conversion;
    if (!conversion) return sameObject(obj, old);
    return sameObject(conversion.fromStorage(obj), conversion.fromStorage(old)) || sameObject(obj, old);
  }

  /**
   * Records an Update's managed fields on `obj` (stored form). Through a served version the field
   * sets are those of that version's form, as upstream's field manager converts the objects to the
   * request's group-version before it compares them (events.k8s.io/v1 owns f:note, not f:message).
   */
  private recordOwnership(old: T | undefined, obj: T, opts: WriteOptions): void {
    const now = this.ctx.clock.now();
    const conversion = this.def.conversion;
    if (!conversion) return recordUpdateOwnership(this.def, this.schema, old, obj, opts, now);
    const served = conversion.fromStorage(obj);
    recordUpdateOwnership(this.def, this.def.schema, old && conversion.fromStorage(old), served, opts, now);
    if (served.metadata.managedFields) obj.metadata.managedFields = served.metadata.managedFields;
    else delete obj.metadata.managedFields;
  }

  private validateOrThrow(obj: T, errors: FieldError[]): void {
    if (errors.length) throw invalid({ group: this.kindGroup, kind: this.def.kind }, obj.metadata.name ?? '', errors);
  }

  private dryRunResult(obj: T): WriteResult {
    const object = canonicalize(obj, this.schema);
    return { object, json: stringifyGo(object) };
  }

  /**
   * Server-side apply of `config` to `live` (undefined: the apply creates): the merged object with
   * its managedFields, for a write with `applied` set. Throws the 409 of conflicting fields.
   */
  applyConfiguration(live: T | undefined, config: Record<string, unknown>, opts: WriteOptions & { force: boolean }): T {
    const owner = { force: opts.force, ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}) };
    return applyConfiguration(this.def, live, config, { ...owner, subresource: opts.subresource }, this.ctx.clock.now()) as T;
  }

  /**
   * commit() with the companions of the write (WriteHooks.companions): created just before it and
   * deleted again when it does not happen (a lost compare-and-swap, an error), released after it.
   */
  private commitWith(
    companionsOf: ((obj: T | undefined, old: T | undefined) => Companions) | undefined,
    type: EventType,
    obj: T,
    expectRv: number,
    previous?: T,
    canonical = false,
  ): WriteResult | undefined {
    const companions = companionsOf?.(type === 'DELETED' ? undefined : obj, previous);
    if (!companions || (companions.create.length === 0 && companions.release.length === 0))
      return this.commit(type, obj, expectRv, previous, canonical);
    const undo = this.ctx.companions.create(companions.create);
    let result: WriteResult | undefined;
    try {
      result = this.commit(type, obj, expectRv, previous, canonical);
    } catch (e) {
      undo();
      throw e;
    }
    if (!result) {
      undo();
      return undefined;
    }
    this.ctx.companions.release(companions.release);
    return result;
  }

  /**
   * Writes one change with the revision the store gives it; undefined when `expectRv` no longer
   * holds. Inside a write batch (Registry.batched) the change waits for the batch instead, and the
   * answer is the object as it is expected to be committed. `canonical`: `obj` is canonicalize()'s
   * already (its metadata its own), so it is written as it is.
   */
  commit(type: EventType, obj: T, expectRv: number, previous?: T, canonical = false): WriteResult | undefined {
    const storage = this.ctx.storage;
    const batch = this.ctx.batch.collecting() ? this.ctx.batch : undefined;
    const rv = batch ? batch.nextRevision() : storage.nextRevision();
    obj.metadata.resourceVersion = String(rv);
    const object = canonical ? obj : canonicalize(obj, this.schema, previous);
    const json = stringifyGo(object);
    const change: Change = {
      type,
      resource: this.resource,
      namespace: this.key(object.metadata.namespace),
      name: object.metadata.name!,
      uid: object.metadata.uid ?? '',
      body: json,
    };
    const event: ChangeEvent = {
      type,
      resource: change.resource,
      namespace: change.namespace,
      name: change.name,
      rv,
      object,
      json,
      previous,
    };
    // A shared store may give the write a later revision (another writer came first, or one
    // transaction for a batch): the object is published carrying the one it got.
    const withRevision = (at: number): ChangeEvent => {
      const moved = { ...object, metadata: { ...object.metadata, resourceVersion: String(at) } } as T;
      return { ...event, rv: at, object: moved, json: stringifyGo(moved) };
    };
    if (batch) {
      batch.add({ change, rv, expectRv, event, withRevision });
      return { object, json };
    }
    const committed = storage.commit([{ change, rv, expectRv }])?.[0];
    if (committed === undefined) return undefined;
    const published = committed === rv ? event : withRevision(committed);
    this.ctx.feed.committed(published);
    return { object: published.object, json: published.json };
  }
}
