/**
 * metav1.Status and the StatusError catalogue. Every failure the server reports is built by one of
 * the named constructors below and rendered by the HTTP error handler, never by hand.
 */
import type { FieldError } from './field-errors.js';
import { aggregateMessage, causeOf } from './field-errors.js';

export const StatusReason = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Invalid: 'Invalid',
  BadRequest: 'BadRequest',
  Forbidden: 'Forbidden',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  Expired: 'Expired',
  Gone: 'Gone',
  TooManyRequests: 'TooManyRequests',
  ServiceUnavailable: 'ServiceUnavailable',
  InternalError: 'InternalError',
  Timeout: 'Timeout',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A group and a plural resource, as in `daemonsets.apps`; the core group is "". */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group and a Kind, as in `DaemonSet.apps`. */
export interface GroupKind {
  group: string;
  kind: string;
}

export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function groupKindString(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: StatusReason | string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    // metav1.Status's field order: details before code.
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
    // An unknown reason is the empty one, left out as Go's omitempty does.
    if (reason) this.status.reason = reason;
    if (details) this.status.details = details;
    this.status.code = code;
  }
  get code(): number {
    return this.status.code ?? 500;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/** A plain error reaching ErrorToAPIStatus: 500, no reason, the error text as message. */
export function reasonless(message: string): StatusError {
  return new StatusError(500, '', message);
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

function resourceDetails(gr: GroupResource, name: string): StatusDetails {
  const details: StatusDetails = { name };
  if (gr.group) details.group = gr.group;
  details.kind = gr.resource;
  return details;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, StatusReason.NotFound, `${groupResourceString(gr)} "${name}" not found`, resourceDetails(gr, name));
}

/** The 404 for a path the server does not serve at all. */
export function pathNotFound(): StatusError {
  return new StatusError(404, StatusReason.NotFound, 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string, suffix = ''): StatusError {
  return new StatusError(
    409,
    StatusReason.AlreadyExists,
    `${groupResourceString(gr)} "${name}" already exists${suffix}`,
    resourceDetails(gr, name),
  );
}

export function conflict(gr: GroupResource, name: string, reason: string): StatusError {
  return new StatusError(
    409,
    StatusReason.Conflict,
    `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${reason}`,
    resourceDetails(gr, name),
  );
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function invalid(gk: GroupKind, name: string, errors: FieldError[]): StatusError {
  // StatusDetails' fields are omitempty: an empty name or kind is left out.
  const details: StatusDetails = name ? { name } : {};
  if (gk.group) details.group = gk.group;
  if (gk.kind) details.kind = gk.kind;
  details.causes = errors.map(causeOf);
  return new StatusError(422, StatusReason.Invalid, `${groupKindString(gk)} "${name}" is invalid: ${aggregateMessage(errors)}`, details);
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, StatusReason.BadRequest, message);
}

export function forbidden(gr: GroupResource, name: string, reason: string, causes?: StatusCause[]): StatusError {
  const details = resourceDetails(gr, name);
  if (causes) details.causes = causes;
  return new StatusError(403, StatusReason.Forbidden, `${groupResourceString(gr)} "${name}" is forbidden: ${reason}`, details);
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  const details: StatusDetails = {};
  if (gr.group) details.group = gr.group;
  details.kind = gr.resource;
  return new StatusError(
    405,
    StatusReason.MethodNotAllowed,
    `${action} is not supported on resources of kind "${groupResourceString(gr)}"`,
    details,
  );
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(406, StatusReason.NotAcceptable, message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(
    415,
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json (got ${JSON.stringify(contentType)})`,
  );
}

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export function requestEntityTooLarge(limit = MAX_REQUEST_BODY_BYTES): StatusError {
  return new StatusError(413, StatusReason.RequestEntityTooLarge, `Request entity too large: limit is ${limit}`);
}

/** 431 from the HTTP parser: the request line and headers passed its limit (metav1 has no reason for it). */
export function requestHeaderFieldsTooLarge(): StatusError {
  return new StatusError(431, '', 'Request Header Fields Too Large');
}

/** 410 Expired: a resourceVersion or continue token older than the retained history. */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, StatusReason.Expired, message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, StatusReason.TooManyRequests, message, { retryAfterSeconds });
}

export function serviceUnavailable(message: string, retryAfterSeconds?: number): StatusError {
  return new StatusError(
    503,
    StatusReason.ServiceUnavailable,
    message,
    retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
  );
}

export function internalError(message: string): StatusError {
  return new StatusError(500, StatusReason.InternalError, `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) s.details = details;
  return s;
}
