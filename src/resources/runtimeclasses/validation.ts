/**
 * ValidateRuntimeClass and ValidateRuntimeClassUpdate (pkg/apis/node/validation): the handler is a
 * DNS label that never changes; the overhead is checked as a container's limits would be; the
 * scheduling's nodeSelector as labels, its tolerations as a pod's, each at most once. The metadata
 * is checked by the store (the generic ObjectMeta rules, a DNS subdomain name).
 */
import {
  duplicate,
  immutable,
  invalidValue,
  path,
  type BadValue,
  type FieldError,
  type FieldPath,
} from '../../apimachinery/field-errors.js';
import { objList, str, type Obj } from '../../apimachinery/json-fields.js';
import { isDns1123Label } from '../../apimachinery/validation/names.js';
import { validateLabels } from '../../apimachinery/validation/object-meta.js';
import { validateContainerResources } from '../pods/validation-resources.js';
import { validateTolerations } from '../pods/validation-scheduling.js';
import type { RuntimeClass, RuntimeClassScheduling } from './schema.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

export function validateRuntimeClass(rc: RuntimeClass): FieldError[] {
  const errs: FieldError[] = [];
  const handler = rc.handler ?? '';
  for (const msg of isDns1123Label(handler)) errs.push(invalidValue(path('handler'), handler, msg));
  // validateOverhead: podFixed as the limits of a container's resources.
  if (rc.overhead) errs.push(...validateContainerResources({ limits: rc.overhead.podFixed }, path('overhead')));
  if (rc.scheduling) errs.push(...validateScheduling(rc.scheduling, path('scheduling')));
  return errs;
}

/**
 * The strategy's ValidateUpdate: ValidateRuntimeClass (ObjectMeta first), then
 * ValidateRuntimeClassUpdate (ObjectMetaUpdate, and the handler stays).
 */
export function validateRuntimeClassUpdate(rc: RuntimeClass, old: RuntimeClass, meta: ObjectMetaChecks): FieldError[] {
  const errs = [...meta.create(), ...validateRuntimeClass(rc), ...meta.update()];
  if ((rc.handler ?? '') !== (old.handler ?? '')) errs.push(immutable(path('handler'), rc.handler ?? ''));
  return errs;
}

function validateScheduling(scheduling: RuntimeClassScheduling, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (scheduling.nodeSelector) errs.push(...validateLabels(scheduling.nodeSelector, fld.child('nodeSelector')));
  const at = fld.child('tolerations');
  errs.push(...validateTolerations(scheduling.tolerations, at));
  // A toleration may appear once: key, operator, value and effect (its list keys) tell them apart.
  const seen = new Set<string>();
  objList(scheduling.tolerations).forEach((t, i) => {
    const listKey = JSON.stringify([str(t.key), str(t.operator), str(t.value), str(t.effect)]);
    if (seen.has(listKey)) errs.push(duplicate(at.index(i), goToleration(t)));
    seen.add(listKey);
  });
  return errs;
}

/**
 * Go's %#v of the internal core.Toleration that field.Duplicate prints. A set tolerationSeconds is a
 * pointer, which Go prints as its address (different on every run); a fixed one stands in for it.
 */
function goToleration(t: Obj): BadValue {
  const seconds = typeof t.tolerationSeconds === 'number' ? '(*int64)(0xc000010000)' : '(*int64)(nil)';
  const fields = ['key', 'operator', 'value', 'effect'].map((k) => `${k[0].toUpperCase()}${k.slice(1)}:${goQuote(str(t[k]))}`);
  return { go: `core.Toleration{${fields.join(', ')}, TolerationSeconds:${seconds}}` };
}
