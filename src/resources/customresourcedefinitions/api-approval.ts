/**
 * The Kubernetes API review policy for CRDs (KEP 2337, apiextensions-apiserver pkg/apihelpers and
 * validateAPIApproval): a CRD in `k8s.io`, `kubernetes.io` or a subdomain of either carries the
 * `api-approved.kubernetes.io` annotation, a URL of the pull request that approved it or a text
 * starting with `unapproved`. Other groups are not looked at, with or without the annotation.
 */
import { invalidValue, path, required, type FieldError } from '../../apimachinery/field-errors.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { parseRequestUri } from '../../apimachinery/go-url.js';
import type { CustomResourceDefinition } from './schema.js';

export const API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';

const POLICY_PR = 'https://github.com/kubernetes/enhancements/pull/1111';

/** Missing (absent or empty), Bypassed (`unapproved…`), Approved (a URL with a scheme and a host) or Invalid. */
export type ApiApprovalState = 'Missing' | 'Bypassed' | 'Approved' | 'Invalid';

export function isProtectedCommunityGroup(group: string | undefined): boolean {
  if (!group) return false;
  return ['k8s.io', 'kubernetes.io'].some((domain) => group === domain || group.endsWith(`.${domain}`));
}

/** The state the annotation puts a CRD in, and the sentence that says why. */
export function apiApprovalState(annotations: Record<string, string> | undefined): { state: ApiApprovalState; reason: string } {
  const value = annotations?.[API_APPROVED_ANNOTATION] ?? '';
  if (value === '') {
    return {
      state: 'Missing',
      reason: `protected groups must have approval annotation ${goQuote(API_APPROVED_ANNOTATION)}, see ${POLICY_PR}`,
    };
  }
  if (value.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${goQuote(value)}` };
  const url = parseRequestUri(value);
  if (url?.scheme && url.host) return { state: 'Approved', reason: `approved in ${value}` };
  return {
    state: 'Invalid',
    reason:
      `protected groups must have approval annotation ${goQuote(API_APPROVED_ANNOTATION)} with either a URL or a reason ` +
      `starting with "unapproved", see ${POLICY_PR}`,
  };
}

/**
 * A CRD of a protected group needs an approved or bypassed state. An update that leaves the state
 * as the stored CRD had it passes whatever that state is, so a CRD stored before the policy (or a
 * controller rewriting its spec) is not refused for an annotation it never had.
 */
export function validateApiApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  if (!isProtectedCommunityGroup(crd.spec?.group)) return [];
  const { state, reason } = apiApprovalState(crd.metadata?.annotations);
  if (old && apiApprovalState(old.metadata?.annotations).state === state) return [];
  const at = path('metadata', 'annotations').key(API_APPROVED_ANNOTATION);
  if (state === 'Missing') return [required(at, reason)];
  if (state === 'Invalid') return [invalidValue(at, { go: goQuote(crd.metadata?.annotations?.[API_APPROVED_ANNOTATION] ?? '') }, reason)];
  return [];
}
