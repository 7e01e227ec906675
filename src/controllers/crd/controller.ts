/**
 * The CRD controller: what apiextensions-apiserver's naming, establishing, finalizing, API
 * approval and serving (crdHandler) parts do, in one reconciler per CRD name. It writes the CRD's
 * status (accepted names, NamesAccepted, Established, KubernetesAPIApprovalPolicyConformant,
 * Terminating), serves the custom resource's versions in the registry once established
 * (discovery, routes, OpenAPI follow), and on deletion deletes every custom object, then removes
 * the cleanup finalizer and stops serving once the CRD is gone.
 *
 * It is part of the API server, not of the controller manager: it runs whether or not the
 * controllers do. Changes are reconciled on the next turn of the event loop (milliseconds);
 * `syncAll` reconciles at once (at start, so stored custom objects are served from the first request).
 */
import { rfc3339 } from '../../apimachinery/object.js';
import type { Clock } from '../../apimachinery/clock.js';
import { deepEqual } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import { servedDefinitions } from '../../registry/served-versions.js';
import { API_SERVER_FIELD_MANAGER } from '../../registry/field-ownership.js';
import { apiVersionOf, resourceKey, type ResourceDefinition } from '../../registry/resource-definition.js';
import type { CustomResourceDefinition } from '../../resources/customresourcedefinitions/schema.js';
import { CRD_CLEANUP_FINALIZER } from '../../resources/customresourcedefinitions/names.js';
import { definitionsFromCrd } from '../../resources/custom/from-crd.js';
import { API_APPROVAL_CONDITION, desiredStatus, isConditionTrue } from './conditions.js';
import { API_APPROVED_ANNOTATION } from '../../resources/customresourcedefinitions/api-approval.js';
import type { Logger } from '../runtime/manager.js';

type Crd = CustomResourceDefinition & { metadata: NonNullable<CustomResourceDefinition['metadata']> };

const RESOURCE = 'customresourcedefinitions';
const GROUP = 'apiextensions.k8s.io';
/** The field manager of the status writes: kube-apiserver's user agent, as its loopback client sends it. */

interface Served {
  group: string;
  plural: string;
  /** The CRD resourceVersion the served definitions were built from. */
  rv: string;
  /** Its storage version then. */
  storage: string | undefined;
}

export class CrdController {
  private readonly served = new Map<string, Served>();
  private readonly pending = new Set<string>();
  private readonly watchingObjects = new Map<string, () => void>();
  /**
   * Per CRD name, the approval annotation the KubernetesAPIApprovalPolicyConformant condition was
   * last written for (upstream's approval controller keeps the same memory, per process): for that
   * annotation it is not written again, even when a client changed the condition through /status.
   */
  private readonly approvalWrittenFor = new Map<string, { uid: string; annotation: string }>();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.unsubscribe.push(registry.hub.subscribe(resourceKey(GROUP, RESOURCE), (ev) => this.schedule(ev.name)));
    this.unsubscribe.push(registry.hub.onReset(() => this.syncAll()));
  }

  private get crds() {
    return this.registry.store<Crd>(RESOURCE, GROUP);
  }

  /** Reconciles every CRD now (and forgets served kinds whose CRD is gone). */
  syncAll(): void {
    const names = new Set([...this.crds.all().map((c) => c.metadata.name!), ...this.served.keys()]);
    for (const name of names) this.reconcileSafely(name);
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    for (const u of this.watchingObjects.values()) u();
    this.watchingObjects.clear();
  }

  private schedule(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) this.reconcileSafely(n);
    });
  }

  private reconcileSafely(name: string): void {
    if (this.stopped) return;
    try {
      this.reconcile(name);
    } catch (err) {
      this.log.error({ err, controller: 'crd', key: name }, 'reconcile failed');
    }
  }

  private reconcile(name: string): void {
    const crd = this.crds.tryGet(undefined, name);
    if (!crd) {
      this.approvalWrittenFor.delete(name);
      return this.stopServing(name);
    }
    const uid = crd.metadata.uid ?? '';
    const annotation = crd.metadata.annotations?.[API_APPROVED_ANNOTATION] ?? '';
    const written = this.approvalWrittenFor.get(name);
    const approvalSettled = written?.uid === uid && written.annotation === annotation;
    const status = desiredStatus(crd, this.crds.all(), rfc3339(this.clock.now()), { approvalSettled });
    const current = deepEqual(status, crd.status ?? {}) ? crd : this.writeStatus(crd, status);
    if (!current) return;
    const approval = (s: Crd['status']) => s?.conditions?.find((c) => c.type === API_APPROVAL_CONDITION);
    const wanted = approval(status);
    if (wanted && !deepEqual(wanted, approval(crd.status)) && deepEqual(wanted, approval(current.status))) {
      this.approvalWrittenFor.set(name, { uid, annotation });
    }
    if (isConditionTrue(current, 'Established')) this.serve(current);
    if (current.metadata.deletionTimestamp && current.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER)) this.cleanUp(current);
  }

  /** Writes the status through /status; the CRD as written, or undefined when it is gone or was replaced. */
  private writeStatus(crd: Crd, status: NonNullable<Crd['status']>): Crd | undefined {
    try {
      const result = this.crds.patch(
        undefined,
        crd.metadata.name!,
        (latest) => {
          if (latest.metadata.uid === crd.metadata.uid) latest.status = status;
          return latest;
        },
        // Recorded as kube-apiserver's, whose loopback client apiextensions' controllers write with.
        { subresource: 'status', fieldManager: API_SERVER_FIELD_MANAGER },
      );
      return result.object as Crd;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Serves (or re-serves, after a change) the CRD's versions. */
  private serve(crd: Crd): void {
    const name = crd.metadata.name!;
    const before = this.served.get(name);
    if (before?.rv === crd.metadata.resourceVersion) return;
    const defs: ResourceDefinition[] = servedDefinitions(definitionsFromCrd(crd));
    if (before) this.registry.removeDefinitions(before.group, before.plural);
    const storage = crd.spec.versions?.find((v) => v.storage)?.name;
    this.served.set(name, { group: crd.spec.group, plural: crd.spec.names.plural, rv: crd.metadata.resourceVersion!, storage });
    if (defs.length) this.registry.addDefinitions(defs);
    // Objects may be in another version after a storage change: while served, or before a restart.
    const moved = before ? before.storage !== storage : (crd.status?.storedVersions?.length ?? 0) > 1;
    if (moved && defs.length) this.moveToStorageVersion(crd);
  }

  /**
   * After the storage version changed, rewrites the objects stored in an older version in the new
   * one (conversion None: the apiVersion alone), so every read through the storage version answers
   * in it, as upstream's decoding from storage does. An object its new schema refuses stays as it is.
   */
  private moveToStorageVersion(crd: Crd): void {
    const store = this.registry.tryStore(crd.spec.names.plural, crd.spec.group);
    if (!store) return;
    const apiVersion = apiVersionOf(store.def);
    for (const obj of store.all()) {
      if (obj.apiVersion === apiVersion) continue;
      try {
        store.patch(obj.metadata.namespace, obj.metadata.name!, (latest) => ({ ...latest, apiVersion }));
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
      }
    }
  }

  private stopServing(name: string): void {
    const before = this.served.get(name);
    this.watchingObjects.get(name)?.();
    this.watchingObjects.delete(name);
    if (!before) return;
    this.served.delete(name);
    this.registry.removeDefinitions(before.group, before.plural);
  }

  /**
   * The finalizing controller: deletes every custom object; once none is left in storage, drops
   * the cleanup finalizer (the store then removes the CRD). Objects held by finalizers of their own
   * bring the CRD back here when they change.
   */
  private cleanUp(crd: Crd): void {
    const name = crd.metadata.name!;
    const store = this.registry.tryStore(crd.spec.names.plural, crd.spec.group);
    if (store && store.revisions().length) {
      if (!this.watchingObjects.has(name)) {
        this.watchingObjects.set(
          name,
          this.registry.hub.subscribe(resourceKey(crd.spec.group, crd.spec.names.plural), () => this.schedule(name)),
        );
      }
      for (const obj of store.all()) {
        if (obj.metadata.deletionTimestamp) continue;
        try {
          store.delete(obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
      if (store.revisions().length) return;
    }
    this.watchingObjects.get(name)?.();
    this.watchingObjects.delete(name);
    try {
      this.crds.patch(undefined, name, (latest) => {
        if (latest.metadata.uid !== crd.metadata.uid) return latest;
        const left = (latest.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
        if (left.length) latest.metadata.finalizers = left;
        else delete latest.metadata.finalizers;
        return latest;
      });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}
