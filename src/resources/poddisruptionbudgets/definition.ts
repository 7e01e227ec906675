/**
 * policy/v1 PodDisruptionBudget (k8s pkg/registry/policy/poddisruptionbudget): status reset on
 * create and kept on spec writes (the disruption controller and the eviction subresource write it
 * through /status), generation moving with the spec. policy/v1beta1 is not served (removed in 1.25).
 */
import type { Stored } from '../../apimachinery/object.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { PodDisruptionBudgetListSchema, PodDisruptionBudgetSchema, type PodDisruptionBudget } from './schema.js';
import { table } from './table.js';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatus } from './validation.js';

const EMPTY_STATUS = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };

const podDisruptionBudgets: ResourceDefinition<Stored<PodDisruptionBudget>> = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  listKind: 'PodDisruptionBudgetList',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  schema: PodDisruptionBudgetSchema,
  listSchema: PodDisruptionBudgetListSchema,
  protobuf: 'k8s.io.api.policy.v1.PodDisruptionBudget',
  table,
  tracksGeneration: true,
  // GetResetFields: PDB strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    prepareForCreate(pdb) {
      pdb.status = { ...EMPTY_STATUS };
    },
    prepareForUpdate(pdb, old) {
      pdb.status = old.status;
    },
    // ValidatePodDisruptionBudget validates the spec alone, on create and on update.
    ownObjectMetaOnCreate: true,
    validate: (pdb) => validatePodDisruptionBudget(pdb),
    validateUpdate: (pdb) => validatePodDisruptionBudget(pdb),
  },
  statusStrategy: statusKeepsSpec({
    validateUpdate: (pdb) => validatePodDisruptionBudgetStatus(pdb.status),
  }),
};

export default podDisruptionBudgets;
