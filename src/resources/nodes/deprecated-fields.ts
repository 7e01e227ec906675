/**
 * The deprecated fields of a Node as kube-apiserver 1.33's node strategies treat them: dynamic
 * kubelet configuration (spec.configSource, status.config) is dropped on create and kept on an
 * update only where the stored node already has it; spec.externalID is kept, with a warning.
 */
import type { StoredNode as Node } from '../stored.js';

/** dropDisabledFields on create: neither configSource nor status.config survives. */
export function dropConfigOnCreate(node: Node): void {
  if (node.spec) delete node.spec.configSource;
  if (node.status) delete node.status.config;
}

/** dropDisabledFields on a write of the node: spec.configSource only where the stored node has one. */
export function dropConfigSourceOnUpdate(node: Node, old: Node): void {
  if (node.spec && old.spec?.configSource == null) delete node.spec.configSource;
}

/** The status strategy's PrepareForUpdate: status.config only where the stored node has one. */
export function dropStatusConfigOnUpdate(node: Node, old: Node): void {
  if (node.status && old.status?.config == null) delete node.status.config;
}

/** The node strategy's WarningsOnCreate and WarningsOnUpdate (none for nodes/status). */
export function deprecatedFieldWarnings(node: Node): string[] {
  const warnings: string[] = [];
  if (node.spec?.configSource != null) warnings.push('spec.configSource: the feature is removed');
  if (node.spec?.externalID) warnings.push('spec.externalID: this field is deprecated, and is unused by Kubernetes');
  return warnings;
}
