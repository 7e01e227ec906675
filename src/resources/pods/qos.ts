/** The pod's QoS class, computed from container requests and limits as the kubelet does. */
interface Resources {
  requests?: Record<string, unknown>;
  limits?: Record<string, unknown>;
}

interface ContainerLike {
  resources?: Resources;
}

const TRACKED = ['cpu', 'memory'];

export function qosClass(
  spec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } | undefined,
): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of TRACKED) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
