/**
 * Container validation (validateContainers, validateInitContainers, validateEphemeralContainers,
 * validateContainerCommon and what they call: ports, probes, lifecycle hooks, volume mounts).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notFoundField, notSupported, required } from '../../apimachinery/field-errors.js';
import { isDns1123Label, isValidPortName, isValidPortNum, PORT_NUM_RANGE_MSG } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, isObj, list, num, objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateEnv, validateEnvFrom } from './validation-env.js';
import { validateLocalDescendingPath } from './validation-volume-paths.js';
import { resourceNameValue, validateContainerResources } from './validation-resources.js';
import { validateContainerSecurityContext } from './validation-security.js';

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const HTTP_SCHEMES = ['HTTP', 'HTTPS'];
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

export interface ContainerContext {
  /** Names of the volumes that validated. */
  volumes: Set<string>;
  /** spec.terminationGracePeriodSeconds, for sleep hooks. */
  gracePeriod: number | undefined;
  /** spec.restartPolicy, for resize policies. */
  restartPolicy: string;
  /** The pod shares the host's user namespace (hostUsers unset or true). */
  hostUsers: boolean;
}

/** ValidatePortNumOrName for an IntOrString port. */
export function validatePortNumOrName(port: unknown, fld: FieldPath): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalidValue(fld, port, msg));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n) ? [] : [invalidValue(fld, n, PORT_NUM_RANGE_MSG)];
}

function validateContainerPorts(ports: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objList(ports).forEach((p, i) => {
    const at = fld.index(i);
    const name = str(p.name);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(invalidValue(at.child('name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(at.child('name'), name));
      else names.add(name);
    }
    const containerPort = num(p.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(at.child('containerPort')));
    else if (!isValidPortNum(containerPort)) errs.push(invalidValue(at.child('containerPort'), containerPort, PORT_NUM_RANGE_MSG));
    const hostPort = num(p.hostPort) ?? 0;
    if (hostPort !== 0 && !isValidPortNum(hostPort)) errs.push(invalidValue(at.child('hostPort'), hostPort, PORT_NUM_RANGE_MSG));
    const protocol = str(p.protocol);
    if (protocol === '') errs.push(required(at.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(at.child('protocol'), protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/**
 * AccumulateUniqueHostPorts over the given containers. Init containers are checked one at a time,
 * so (as upstream) their errors always carry index 0.
 */
function checkHostPortConflicts(containers: Obj[], fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    objList(c.ports).forEach((p, pi) => {
      const hostPort = num(p.hostPort) ?? 0;
      if (hostPort === 0) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${hostPort}`;
      const at = fld.index(ci).child('ports').index(pi).child('hostPort');
      if (seen.has(key)) errs.push(duplicate(at, key));
      else seen.add(key);
    });
  });
  return errs;
}

/** validateHandler: exactly one handler kind. */
function validateHandler(handler: Obj, kinds: string[], ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const h = handler[kind];
    if (unsetPtr(h)) continue;
    if (count > 0) {
      errs.push(forbiddenField(fld.child(kind), 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const o = asObj(h) ?? {};
    const at = fld.child(kind);
    if (kind === 'exec') {
      if (list(o.command).length === 0) errs.push(required(at.child('command')));
    } else if (kind === 'httpGet') {
      if (str(o.path) === '') errs.push(required(at.child('path')));
      errs.push(...validatePortNumOrName(o.port, at.child('port')));
      if (!HTTP_SCHEMES.includes(str(o.scheme))) errs.push(notSupported(at.child('scheme'), str(o.scheme), HTTP_SCHEMES));
    } else if (kind === 'tcpSocket') {
      errs.push(...validatePortNumOrName(o.port, at.child('port')));
    } else if (kind === 'grpc') {
      errs.push(...validatePortNumOrName(num(o.port) ?? 0, at.child('port')));
    } else if (kind === 'sleep') {
      const seconds = num(o.seconds) ?? 0;
      if (ctx.gracePeriod !== undefined && (seconds < 0 || seconds > ctx.gracePeriod)) {
        errs.push(invalidValue(at, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${ctx.gracePeriod})`));
      }
    }
  }
  if (count === 0) errs.push(required(fld, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: unknown, kind: 'liveness' | 'readiness' | 'startup', ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const p = asObj(probe);
  if (!p) return [];
  const errs = validateHandler(p, PROBE_HANDLERS, ctx, fld);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = num(p[f]) ?? 0;
    if (v < 0) errs.push(invalidValue(fld.child(f), v, 'must be greater than or equal to 0'));
  }
  const tgps = num(p.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) errs.push(invalidValue(fld.child('terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && (num(p.successThreshold) ?? 0) !== 1) {
    errs.push(invalidValue(fld.child('successThreshold'), num(p.successThreshold) ?? 0, 'must be 1'));
  }
  if (kind === 'readiness' && tgps !== undefined) {
    errs.push(invalidValue(fld.child('terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lifecycle: Obj, ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = asObj(lifecycle[hook]);
    if (h) errs.push(...validateHandler(h, LIFECYCLE_HANDLERS, ctx, fld.child(hook)));
  }
  return errs;
}

/** ValidateVolumeMounts; a few paths are not indexed upstream and are reproduced that way. */
function validateVolumeMounts(c: Obj, ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  const privileged = asObj(c.securityContext)?.privileged === true;
  objList(c.volumeMounts).forEach((m, i) => {
    const at = fld.index(i);
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (name === '') errs.push(required(at.child('name')));
    if (!ctx.volumes.has(name)) errs.push(notFoundField(at.child('name'), name));
    if (mountPath === '') errs.push(required(at.child('mountPath')));
    if (mountPaths.has(mountPath)) errs.push(invalidValue(at.child('mountPath'), mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath !== '') errs.push(...validateLocalDescendingPath(subPath, fld.child('subPath')));
    if (subPathExpr !== '') {
      if (subPath !== '') errs.push(invalidValue(at.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, fld.child('subPathExpr')));
    }
    if (!unsetPtr(m.mountPropagation)) {
      const prop = str(m.mountPropagation);
      const propPath = fld.child('mountPropagation');
      if (!MOUNT_PROPAGATIONS.includes(prop)) errs.push(notSupported(propPath, prop, MOUNT_PROPAGATIONS));
      if (prop === 'Bidirectional' && !privileged) {
        errs.push(forbiddenField(propPath, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
  });
  return errs;
}

const RESIZE_RESOURCES = ['cpu', 'memory'];
const RESIZE_RESTART_POLICIES = ['NotRequired', 'RestartContainer'];

/**
 * validateResizePolicy. Upstream reports a missing or unsupported name or policy at the list's path,
 * and only duplicates at the entry's. (InPlacePodVerticalScaling is on in 1.33, so init containers
 * may have resize policies too: AllowSidecarResizePolicy.)
 */
function validateResizePolicy(policies: unknown, podRestartPolicy: string, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objList(policies).forEach((p, i) => {
    const name = str(p.resourceName);
    const policy = str(p.restartPolicy);
    if (seen.has(name)) errs.push(duplicate(fld.index(i), resourceNameValue(name)));
    seen.add(name);
    if (name === '') errs.push(required(fld));
    else if (!RESIZE_RESOURCES.includes(name)) errs.push(notSupported(fld, resourceNameValue(name), RESIZE_RESOURCES));
    if (policy === '') errs.push(required(fld));
    else if (!RESIZE_RESTART_POLICIES.includes(policy)) errs.push(notSupported(fld, policy, RESIZE_RESTART_POLICIES));
    if (podRestartPolicy === 'Never' && policy !== 'NotRequired') {
      errs.push(invalidValue(fld, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

/** validateContainerCommon. */
function validateContainerCommon(c: Obj, ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (name === '') errs.push(required(fld.child('name')));
  else for (const msg of isDns1123Label(name)) errs.push(invalidValue(fld.child('name'), name, msg));
  if (str(c.image) === '') errs.push(required(fld.child('image')));
  const tmp = str(c.terminationMessagePolicy);
  if (tmp === '') errs.push(required(fld.child('terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(notSupported(fld.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c.ports, fld.child('ports')));
  errs.push(...validateEnv(c.env, fld.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, fld.child('envFrom')));
  errs.push(...validateVolumeMounts(c, ctx, fld.child('volumeMounts')));
  const pull = str(c.imagePullPolicy);
  if (pull === '') errs.push(required(fld.child('imagePullPolicy')));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(fld.child('imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateContainerResources(c.resources, fld.child('resources')));
  errs.push(...validateResizePolicy(c.resizePolicy, ctx.restartPolicy, fld.child('resizePolicy')));
  errs.push(...validateContainerSecurityContext(c.securityContext, ctx.hostUsers, fld.child('securityContext')));
  return errs;
}

/** validateContainers (regular containers). */
export function validateContainers(containers: unknown, ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const list_ = objList(containers);
  if (list_.length === 0) return [required(fld)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list_.forEach((c, i) => {
    const at = fld.index(i);
    errs.push(...validateContainerCommon(c, ctx, at));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else names.add(name);
    const lifecycle = asObj(c.lifecycle);
    if (lifecycle) errs.push(...validateLifecycle(lifecycle, ctx, at.child('lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, 'liveness', ctx, at.child('livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, 'readiness', ctx, at.child('readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, 'startup', ctx, at.child('startupProbe')));
    if (!unsetPtr(c.restartPolicy)) errs.push(forbiddenField(at.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  return errs.concat(checkHostPortConflicts(list_, fld));
}

/** validateInitContainers: names unique across regular and init containers; sidecars (restartPolicy Always) may have probes. */
export function validateInitContainers(initContainers: unknown, containers: unknown, ctx: ContainerContext, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objList(containers).map((c) => str(c.name)));
  objList(initContainers).forEach((c, i) => {
    const at = fld.index(i);
    errs.push(...validateContainerCommon(c, ctx, at));
    let sidecar = false;
    if (!unsetPtr(c.restartPolicy)) {
      const policy = str(c.restartPolicy);
      if (policy !== 'Always') errs.push(notSupported(at.child('restartPolicy'), policy, ['Always']));
      sidecar = policy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else if (name !== '') names.add(name);
    errs.push(...checkHostPortConflicts([c], fld));
    if (sidecar) {
      const lifecycle = asObj(c.lifecycle);
      if (lifecycle) errs.push(...validateLifecycle(lifecycle, ctx, at.child('lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, 'liveness', ctx, at.child('livenessProbe')));
      errs.push(...validateProbe(c.readinessProbe, 'readiness', ctx, at.child('readinessProbe')));
      errs.push(...validateProbe(c.startupProbe, 'startup', ctx, at.child('startupProbe')));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (!unsetPtr(c[f])) errs.push(forbiddenField(at.child(f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

const EPHEMERAL_FORBIDDEN = [
  'ports',
  'resources',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'resizePolicy',
  'restartPolicy',
];

/** validateEphemeralContainers (also run for templates, which may not have any). */
export function validateEphemeralContainers(
  ephemeral: unknown,
  containers: unknown,
  initContainers: unknown,
  ctx: ContainerContext,
  fld: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...objList(containers), ...objList(initContainers)].map((c) => str(c.name)));
  const all = new Set(others);
  objList(ephemeral).forEach((c, i) => {
    const at = fld.index(i);
    errs.push(...validateContainerCommon(c, ctx, at));
    errs.push(...validateImageWhitespace(c, at));
    const name = str(c.name);
    if (all.has(name)) errs.push(duplicate(at.child('name'), name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target !== '' && !others.has(target)) errs.push(notFoundField(at.child('targetContainerName'), target));
    for (const f of EPHEMERAL_FORBIDDEN) {
      const v = c[f];
      const set = !unsetPtr(v) && !(Array.isArray(v) && v.length === 0) && !(isObj(v) && Object.keys(v).length === 0);
      if (set) errs.push(forbiddenField(at.child(f), 'cannot be set for an Ephemeral Container'));
    }
    objList(c.volumeMounts).forEach((m, j) => {
      for (const f of ['subPath', 'subPathExpr']) {
        if (str(m[f]) !== '')
          errs.push(forbiddenField(at.child('volumeMounts').index(j).child(f), 'cannot be set for an Ephemeral Container'));
      }
    });
  });
  return errs;
}

/** validateContainerOnlyForPod: no leading/trailing whitespace in images of real Pods. */
export function validateImageWhitespace(c: Obj, fld: FieldPath): FieldError[] {
  const image = str(c.image);
  return image !== image.trim() ? [invalidValue(fld.child('image'), image, 'must not have leading or trailing whitespace')] : [];
}
