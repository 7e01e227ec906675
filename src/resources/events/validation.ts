/**
 * core/v1 Event validation: what ValidateEventCreate/ValidateEventUpdate check for requests made
 * through the v1 API (legacyValidateEvent only; the strict rules apply to events.k8s.io/v1).
 * core/v1 does not restrict `type`, and reason/message lengths are only checked for events that
 * carry an eventTime.
 */
import type { FieldError } from '../../apimachinery/field-errors.js';
import { invalidValue, path, required } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { isDns1123Subdomain, isQualifiedName } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, str } from '../../apimachinery/json-fields.js';

export const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
export const ACTION_LENGTH_LIMIT = 128;
export const REASON_LENGTH_LIMIT = 128;
export const NOTE_LENGTH_LIMIT = 1024;

const NAMESPACE_MISMATCH = 'does not match event.namespace';
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** legacyValidateEvent. Field names are those of the internal type (e.g. reportingController). */
export function validateEvent(ev: KubeObject): FieldError[] {
  const e = ev as Obj;
  const errs: FieldError[] = [];
  const namespace = ev.metadata?.namespace ?? '';
  const involvedNamespace = str(asObj(e.involvedObject)?.namespace);
  const involvedPath = path('involvedObject', 'namespace');
  const hasEventTime = typeof e.eventTime === 'string' && e.eventTime !== '';
  const tooLong = (limit: number): string => `can have at most ${limit} characters`;

  if (!hasEventTime) {
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') errs.push(invalidValue(involvedPath, involvedNamespace, NAMESPACE_MISMATCH));
    } else if (namespace !== involvedNamespace) {
      errs.push(invalidValue(involvedPath, involvedNamespace, NAMESPACE_MISMATCH));
    }
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(invalidValue(involvedPath, involvedNamespace, NAMESPACE_MISMATCH));
    }
    const controller = str(e.reportingComponent);
    if (controller === '') errs.push(required(path('reportingController')));
    for (const msg of isQualifiedName(controller)) errs.push(invalidValue(path('reportingController'), controller, msg));
    const instance = str(e.reportingInstance);
    if (instance === '') errs.push(required(path('reportingInstance')));
    if (bytes(instance) > REPORTING_INSTANCE_LENGTH_LIMIT)
      errs.push(invalidValue(path('reportingInstance'), '', tooLong(REPORTING_INSTANCE_LENGTH_LIMIT)));
    const action = str(e.action);
    if (action === '') errs.push(required(path('action')));
    if (bytes(action) > ACTION_LENGTH_LIMIT) errs.push(invalidValue(path('action'), '', tooLong(ACTION_LENGTH_LIMIT)));
    const reason = str(e.reason);
    if (reason === '') errs.push(required(path('reason')));
    if (bytes(reason) > REASON_LENGTH_LIMIT) errs.push(invalidValue(path('reason'), '', tooLong(REASON_LENGTH_LIMIT)));
    if (bytes(str(e.message)) > NOTE_LENGTH_LIMIT) errs.push(invalidValue(path('message'), '', tooLong(NOTE_LENGTH_LIMIT)));
  }
  for (const msg of isDns1123Subdomain(namespace)) errs.push(invalidValue(path('namespace'), namespace, msg));
  return errs;
}

/** ValidateEventUpdate for core/v1: the new event must pass the same checks. */
export function validateEventUpdate(ev: KubeObject, _old: KubeObject): FieldError[] {
  return validateEvent(ev);
}
