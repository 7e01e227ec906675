/**
 * spec.podCIDR and spec.podCIDRs of a v1 Node, as kube-apiserver 1.33's v1 conversion ties them
 * (Convert_v1_NodeSpec_To_core_NodeSpec and back): the internal Node has only podCIDRs, taken from
 * the body's podCIDRs, or from its podCIDR when podCIDRs is empty; podCIDR is written back as
 * podCIDRs[0]. A podCIDR that disagrees with podCIDRs[0] is not an error: podCIDRs wins.
 */
import type { StoredNode } from '../stored.js';

type NodeSpec = NonNullable<StoredNode['spec']>;

/** Makes podCIDR and podCIDRs say the same, as a round trip through the internal Node does. */
export function normalizePodCIDRs(spec: NodeSpec): void {
  const cidrs = spec.podCIDRs;
  if (cidrs && cidrs.length > 0) {
    if (spec.podCIDR !== cidrs[0]) spec.podCIDR = cidrs[0];
    return;
  }
  if (spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
}
