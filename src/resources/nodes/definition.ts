/** core/v1 Node: cluster-scoped; the kubelet registers it with its status. */
import type { StoredNode as Node } from '../stored.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { NodeSchema } from '../core-schemas/node.js';
import { normalizePodCIDRs } from './pod-cidrs.js';
import { validateNode, validateNodeMainUpdate, validateNodeUpdate } from './validation.js';
import { deprecatedFieldWarnings, dropConfigOnCreate, dropConfigSourceOnUpdate, dropStatusConfigOnUpdate } from './deprecated-fields.js';
import { table } from './table.js';

const nodes: ResourceDefinition<Node> = {
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  plural: 'nodes',
  etcdResourcePrefix: 'minions',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  schema: NodeSchema,
  listSchema: listSchema(NodeSchema, 'Node'),
  protobuf: 'k8s.io.api.core.v1.Node',
  table,
  fieldLabels: ['spec.unschedulable'],
  selectableFields: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
  // GetResetFields: node strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    defaults(node) {
      normalizePodCIDRs((node.spec ??= {}));
      node.status ??= {};
    },
    // A node may be created with its status (kubelet registration); later spec writes keep it.
    prepareForCreate: dropConfigOnCreate,
    prepareForUpdate(node, old) {
      node.status = old.status;
      dropConfigSourceOnUpdate(node, old);
    },
    validate: (node) => validateNode(node),
    validateUpdate: (node, old, meta) => validateNodeMainUpdate(node, old, meta),
    warnings: (node) => deprecatedFieldWarnings(node),
  },
  // nodes/status keeps the spec and validates the whole node as ValidateNodeUpdate does; no warnings.
  statusStrategy: statusKeepsSpec({
    prepareForUpdate: dropStatusConfigOnUpdate,
    validateUpdate: (node, old, meta) => [...meta.update(), ...validateNodeUpdate(node, old)],
  }),
};

export default nodes;
