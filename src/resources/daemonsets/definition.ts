/**
 * apps/v1 DaemonSet (k8s pkg/registry/apps/daemonset/strategy.go): status reset on create and kept
 * on spec writes, generation and the template generation annotation moving with the spec.
 */
import type { DaemonSet } from '../schemas.js';
import type { Stored } from '../../apimachinery/object.js';
import { deepEqual } from '../../apimachinery/object.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { DaemonSetSchema } from '../apps-schemas/daemonset.js';
import { defaultDaemonSet } from './defaults.js';
import { dropDisabledPodSpecFields } from '../pods/disabled-fields.js';
import { validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from './validation.js';
import { templateGenerationError, templateGenerationOf, withTemplateGeneration } from './template-generation.js';
import { badRequest } from '../../apimachinery/status.js';
import { table } from './table.js';
import { daemonSetWarnings } from './warnings.js';

const EMPTY_STATUS = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };

const daemonSets: ResourceDefinition<Stored<DaemonSet>> = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  listKind: 'DaemonSetList',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  schema: DaemonSetSchema,
  listSchema: listSchema(DaemonSetSchema, 'DaemonSet'),
  protobuf: 'k8s.io.api.apps.v1.DaemonSet',
  categories: ['all'],
  table,
  tracksGeneration: true,
  // GetResetFields: daemonset strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    defaults(ds) {
      const error = templateGenerationError(ds);
      if (error) throw badRequest(error);
      defaultDaemonSet(ds);
    },
    prepareForCreate(ds) {
      dropDisabledPodSpecFields(ds.spec?.template?.spec);
      ds.status = { ...EMPTY_STATUS };
      withTemplateGeneration(ds, Math.max(1, templateGenerationOf(ds) ?? 1));
    },
    prepareForUpdate(ds, old) {
      dropDisabledPodSpecFields(ds.spec?.template?.spec, old.spec?.template?.spec);
      ds.status = old.status;
      const previous = templateGenerationOf(old) ?? 1;
      withTemplateGeneration(ds, deepEqual(ds.spec?.template, old.spec?.template) ? previous : previous + 1);
    },
    validate: (ds) => validateDaemonSet(ds),
    validateUpdate: (ds, old, meta) => validateDaemonSetUpdate(ds, old, meta),
    warnings: (ds, old) => daemonSetWarnings(ds, old),
  },
  statusStrategy: statusKeepsSpec({
    validateUpdate: (ds, old, meta) => [...meta.update(), ...validateDaemonSetStatusUpdate(ds, old)],
  }),
};

export default daemonSets;
