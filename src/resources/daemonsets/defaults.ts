/**
 * apps/v1 DaemonSet defaulting (SetDefaults_DaemonSet plus the pod template defaulters of
 * SetObjectDefaults_DaemonSet). Mutates its argument; idempotent.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { defaultPodTemplate } from '../pods/defaults.js';
import { ensureObj, unsetPtr, unsetString } from '../../apimachinery/json-fields.js';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export function defaultDaemonSet(ds: KubeObject): void {
  const spec = ensureObj(ds, 'spec');
  const strategy = ensureObj(spec, 'updateStrategy');
  if (unsetString(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObj(strategy, 'rollingUpdate');
    if (unsetPtr(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = 1;
    if (unsetPtr(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = 0;
  }
  if (unsetPtr(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = DEFAULT_REVISION_HISTORY_LIMIT;
  defaultPodTemplate(ensureObj(spec, 'template'));
}
