/**
 * The status a CRD's controllers write (apiextensions-apiserver's naming, establishing,
 * finalizing and API approval controllers): accepted names unless another CRD of the group holds
 * one of them, NamesAccepted, Established once the names are accepted,
 * KubernetesAPIApprovalPolicyConformant for a protected group, Terminating while its objects go.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
} from '../../resources/customresourcedefinitions/schema.js';
import {
  apiApprovalState,
  isProtectedCommunityGroup,
  type ApiApprovalState,
} from '../../resources/customresourcedefinitions/api-approval.js';

type Condition = CustomResourceDefinitionCondition;

/** The names a CRD asks for, the one that conflicts with another CRD's accepted names (reason and message), if any. */
export function nameConflict(
  crd: CustomResourceDefinition,
  others: CustomResourceDefinition[],
): { reason: string; message: string } | undefined {
  const mine = crd.spec.names;
  const taken = others
    .filter((o) => o.spec.group === crd.spec.group && o.metadata?.uid !== crd.metadata?.uid)
    .map((o) => o.status?.acceptedNames)
    .filter((n): n is CustomResourceDefinitionNames => !!n);
  const used = (pick: (n: CustomResourceDefinitionNames) => (string | undefined)[]) => new Set(taken.flatMap(pick).filter(Boolean));
  const plurals = used((n) => [n.plural]);
  const singulars = used((n) => [n.singular]);
  const shorts = used((n) => n.shortNames ?? []);
  const kinds = used((n) => [n.kind]);
  const listKinds = used((n) => [n.listKind]);
  const inUse = (v: string) => `${JSON.stringify(v)} is already in use`;
  if (plurals.has(mine.plural) || singulars.has(mine.plural)) return { reason: 'PluralConflict', message: inUse(mine.plural) };
  if (mine.singular && (plurals.has(mine.singular) || singulars.has(mine.singular)))
    return { reason: 'SingularConflict', message: inUse(mine.singular) };
  const short = (mine.shortNames ?? []).find((s) => shorts.has(s) || plurals.has(s) || singulars.has(s));
  if (short) return { reason: 'ShortNamesConflict', message: inUse(short) };
  if (kinds.has(mine.kind) || listKinds.has(mine.kind)) return { reason: 'KindConflict', message: inUse(mine.kind) };
  if (mine.listKind && (kinds.has(mine.listKind) || listKinds.has(mine.listKind)))
    return { reason: 'ListKindConflict', message: inUse(mine.listKind) };
  return undefined;
}

/** Sets one condition, keeping its lastTransitionTime when its status does not change. */
export function setCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const i = conditions.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const cond: Condition = {
    type: next.type,
    status: next.status,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
    reason: next.reason,
    message: next.message,
  };
  const out = conditions.slice();
  if (i >= 0) out[i] = cond;
  else out.push(cond);
  return out;
}

export const API_APPROVAL_CONDITION = 'KubernetesAPIApprovalPolicyConformant';

const APPROVAL_CONDITIONS: Record<ApiApprovalState, { status: 'True' | 'False'; reason: string }> = {
  Approved: { status: 'True', reason: 'ApprovedAnnotation' },
  Bypassed: { status: 'False', reason: 'UnapprovedAnnotation' },
  Missing: { status: 'False', reason: 'MissingAnnotation' },
  Invalid: { status: 'False', reason: 'InvalidAnnotation' },
};

/**
 * KubernetesAPIApprovalPolicyConformant for a CRD of a protected group (none for another group:
 * the group is immutable, so there is never one to take away).
 */
export function apiApprovalCondition(crd: CustomResourceDefinition): Omit<Condition, 'lastTransitionTime'> | undefined {
  if (!isProtectedCommunityGroup(crd.spec.group)) return undefined;
  const { state, reason } = apiApprovalState(crd.metadata?.annotations);
  return { type: API_APPROVAL_CONDITION, ...APPROVAL_CONDITIONS[state], message: reason };
}

export interface DesiredStatusOptions {
  /**
   * Leave KubernetesAPIApprovalPolicyConformant as it is: the approval controller already wrote it
   * for the annotation the CRD has, and (as upstream's, which remembers the annotation it last
   * wrote for) does not write it again for the same annotation.
   */
  approvalSettled?: boolean;
}

/** The status the controllers want for a CRD, given the other CRDs. */
export function desiredStatus(
  crd: CustomResourceDefinition,
  others: CustomResourceDefinition[],
  now: string,
  opts: DesiredStatusOptions = {},
): NonNullable<CustomResourceDefinition['status']> {
  const status = { ...(crd.status ?? {}) };
  let conditions = status.conditions ?? [];
  const conflict = nameConflict(crd, others);
  if (conflict) {
    conditions = setCondition(conditions, { type: 'NamesAccepted', status: 'False', ...conflict }, now);
  } else {
    const n = crd.spec.names;
    status.acceptedNames = {
      plural: n.plural,
      ...(n.singular ? { singular: n.singular } : {}),
      ...(n.shortNames?.length ? { shortNames: n.shortNames } : {}),
      kind: n.kind,
      ...(n.listKind ? { listKind: n.listKind } : {}),
      ...(n.categories?.length ? { categories: n.categories } : {}),
    };
    conditions = setCondition(
      conditions,
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      now,
    );
  }
  const established = conditions.find((c) => c.type === 'Established')?.status === 'True';
  if (!conflict && !established) {
    conditions = setCondition(
      conditions,
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      now,
    );
  } else if (conflict && !established) {
    conditions = setCondition(
      conditions,
      { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
      now,
    );
  }
  const approval = opts.approvalSettled ? undefined : apiApprovalCondition(crd);
  const current = approval && conditions.find((c) => c.type === approval.type);
  // As upstream: rewritten only when its status, reason or message differ.
  if (
    approval &&
    !(current && current.status === approval.status && current.reason === approval.reason && current.message === approval.message)
  ) {
    conditions = setCondition(conditions, approval, now);
  }
  if (crd.metadata?.deletionTimestamp) {
    conditions = setCondition(
      conditions,
      { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' },
      now,
    );
  }
  status.conditions = conditions;
  return status;
}

export function isConditionTrue(crd: CustomResourceDefinition, type: string): boolean {
  return crd.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}
