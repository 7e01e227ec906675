// What the grid shows of an object, from the object alone: pure functions, no DOM.

/** `namespace/name`, the key of namespaced objects. */
export const keyOf = (o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

const FAILING = /Err|BackOff|Error|OOMKilled|Invalid|NodePorts|Evicted/;

/**
 * A pod's status as `kubectl get pods` words it (a waiting or terminated container's reason,
 * Terminating while it is being deleted), its ready containers, and the colour class it gets:
 * ready, unready, pending, failed, succeeded or terminating.
 */
export function podSummary(pod) {
  const status = pod.status ?? {};
  const containers = status.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? containers.length;
  const readyCount = containers.filter((c) => c.ready).length;
  let reason = status.reason || status.phase || 'Pending';
  for (const c of [...containers].reverse()) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
  }
  const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  let state;
  if (pod.metadata.deletionTimestamp) {
    reason = 'Terminating';
    state = 'terminating';
  } else if (status.phase === 'Failed' || FAILING.test(reason)) state = 'failed';
  else if (status.phase === 'Succeeded') state = 'succeeded';
  else if (status.phase === 'Running') state = ready ? 'ready' : 'unready';
  else state = 'pending';
  const image = (pod.spec?.containers ?? []).map((c) => c.image).join(', ');
  return { reason, state, ready: `${readyCount}/${total}`, image };
}

/** The node a pod runs on, or the one a DaemonSet pod waits for (its node affinity's metadata.name). */
export function podNode(pod) {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms)
    for (const f of term.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** The uid of the DaemonSet controlling a pod, if one does. */
export function podDaemonSet(pod) {
  return (pod.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'DaemonSet')?.uid;
}

/** Whether the pod was made from an older template than its DaemonSet's current one. */
export function podOutdated(pod, ds) {
  const generation = pod.metadata.labels?.['pod-template-generation'];
  return ds !== undefined && generation !== undefined && generation !== String(ds.metadata.generation);
}

/** A node's Ready condition status (True, False, Unknown), its taints as `key=value:Effect` and whether it is cordoned. */
export function nodeSummary(node) {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const taints = (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  const labels = Object.entries(node.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return {
    ready: ready?.status ?? 'Unknown',
    readyReason: ready?.reason ?? '',
    taints,
    cordoned: node.spec?.unschedulable === true,
    labels,
  };
}

/** A DaemonSet's status counts as `kubectl get ds` shows them, and its rollout progress (0…1). */
export function daemonSetSummary(ds) {
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
  return {
    desired,
    current: s.currentNumberScheduled ?? 0,
    ready: s.numberReady ?? 0,
    upToDate: updated,
    available: s.numberAvailable ?? 0,
    progress: desired === 0 ? 1 : Math.min(1, updated / desired),
    done: observed && updated === desired && (s.numberAvailable ?? 0) === desired,
  };
}

/** Sorts names as people read them: node-2 before node-10. */
export const byName = new Intl.Collator(undefined, { numeric: true }).compare;
