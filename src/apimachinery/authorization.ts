/**
 * What authorization decides on (k8s.io/apiserver/pkg/authorization/authorizer): a request's
 * attributes, a decision with its reason, and the rules a user holds; plus the 403 a denied request
 * gets, worded as kube-apiserver's (responsewriters.Forbidden).
 */
import { StatusError, StatusReason, groupResourceString, type StatusDetails } from './status.js';
import type { UserInfo } from './user-info.js';
import { goQuote } from './go-quote.js';

/** One request as authorization sees it: either on a resource, or on a non-resource URL path. */
export interface Attributes {
  user: UserInfo;
  /** Resource requests: get, list, watch, create, update, patch, delete, deletecollection (or any custom verb); else the lowercase HTTP method. */
  verb: string;
  resourceRequest: boolean;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  /** The URL path (non-resource requests). */
  path: string;
}

/** Attributes with the unset parts empty, as Go's zero values. */
export function attributes(user: UserInfo, verb: string, parts: Partial<Omit<Attributes, 'user' | 'verb'>>): Attributes {
  return {
    user,
    verb,
    resourceRequest: parts.resourceRequest ?? false,
    namespace: parts.namespace ?? '',
    apiGroup: parts.apiGroup ?? '',
    apiVersion: parts.apiVersion ?? '',
    resource: parts.resource ?? '',
    subresource: parts.subresource ?? '',
    name: parts.name ?? '',
    path: parts.path ?? '',
  };
}

/** Allowed, or not (upstream's NoOpinion and Deny both end in 403), with the authorizer's reason. */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/** A resource rule as a rules review lists it (authorizer.ResourceRuleInfo). */
export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

/** A non-resource rule as a rules review lists it. */
export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

/** What a user may do in a namespace: the answer of a SelfSubjectRulesReview. */
export interface UserRules {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  /** True when some rules could not be read (a binding to a missing role): the list may be short. */
  incomplete: boolean;
  evaluationError: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): Decision;
  rulesFor(user: UserInfo, namespace: string): UserRules;
}

/** The sentence of a 403: who cannot do what, on which resource (and where) or path. */
export function forbiddenMessage(attrs: Attributes): string {
  const who = goQuote(attrs.user.username);
  if (!attrs.resourceRequest) return `User ${who} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const what = `User ${who} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)}`;
  return attrs.namespace ? `${what} in the namespace ${goQuote(attrs.namespace)}` : `${what} at the cluster scope`;
}

/**
 * The 403 of a denied request (apierrors.NewForbidden over the resource, or over nothing for a
 * path): `pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "y"`.
 */
export function forbiddenRequest(attrs: Attributes, reason: string): StatusError {
  const text = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  const gr = { group: attrs.apiGroup, resource: attrs.resource };
  const details: StatusDetails = {};
  if (attrs.name) details.name = attrs.name;
  if (attrs.apiGroup) details.group = attrs.apiGroup;
  if (attrs.resource) details.kind = attrs.resource;
  let message: string;
  if (!attrs.resource && !attrs.apiGroup) message = `forbidden: ${text}`;
  else if (!attrs.name) message = `${groupResourceString(gr)} is forbidden: ${text}`;
  else message = `${groupResourceString(gr)} ${goQuote(attrs.name)} is forbidden: ${text}`;
  return new StatusError(403, StatusReason.Forbidden, message, details);
}
