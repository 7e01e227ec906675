/** core/v1 ConfigMap (k8s pkg/registry/core/configmap): no status, no generation; `kubectl get cm` shows NAME DATA AGE. */
import { AGE_COLUMN, column, nameColumn, since } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { ConfigMapListSchema, ConfigMapSchema, type ConfigMap } from './schema.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

const configMaps: ResourceDefinition<Stored<ConfigMap>> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  schema: ConfigMapSchema,
  listSchema: ConfigMapListSchema,
  protobuf: 'k8s.io.api.core.v1.ConfigMap',
  table: {
    columns: [nameColumn(), column('Data', 'How many keys the ConfigMap holds (data and binaryData).'), AGE_COLUMN],
    cells: (cm, now) => [
      cm.metadata.name,
      Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
      since(cm.metadata.creationTimestamp, now),
    ],
  },
  strategy: {
    validate: (cm) => validateConfigMap(cm),
    validateUpdate: (cm, old, meta) => validateConfigMapUpdate(cm, old, meta),
  },
};

export default configMaps;
