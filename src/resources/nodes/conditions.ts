/** Reading a node's conditions, as nodeutil.GetNodeCondition does (the first condition of a type). */
import type { Node, NodeCondition } from '../schemas.js';

/** The node's Ready condition (the first of that type). */
export function nodeReadyCondition(node: Pick<Node, 'status'> | undefined): NodeCondition | undefined {
  return node?.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Whether the node's Ready condition is True. */
export function isNodeReady(node: Pick<Node, 'status'> | undefined): boolean {
  return nodeReadyCondition(node)?.status === 'True';
}
