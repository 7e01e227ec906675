/**
 * The container parts of pkg/api/pod's warningsForPodSpecAndMeta: per container, fractional memory
 * and ephemeral-storage limits and requests and env vars that hide an earlier one of the same name;
 * then, over all containers, hostIP without hostPort and port definitions that repeat or overlap,
 * and after those a port name that an earlier port already has.
 */
import type { FieldPath } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, num, objList, str } from '../../apimachinery/json-fields.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { warnFractionalBytes } from './warnings-fractional.js';
import { containersWithPath } from './validation-profiles.js';

function resourceWarnings(container: Obj, at: FieldPath, warnings: string[]): void {
  const resources = asObj(container.resources);
  if (!resources) return;
  const limits = asObj(resources.limits);
  const requests = asObj(resources.requests);
  const resourcesPath = at.child('resources');
  for (const name of ['memory', 'ephemeral-storage']) {
    if (limits) warnFractionalBytes(limits[name], resourcesPath.child('limits').key(name), warnings);
    if (requests) warnFractionalBytes(requests[name], resourcesPath.child('requests').key(name), warnings);
  }
}

/** A later env var of a name already defined is fine only as a plain value that refers to `$(NAME)`. */
function envWarnings(container: Obj, at: FieldPath, warnings: string[]): void {
  const env = objList(container.env);
  if (env.length < 2) return;
  const seen = new Set<string>();
  env.forEach((variable, i) => {
    const name = str(variable.name);
    if (!seen.has(name)) {
      seen.add(name);
      return;
    }
    const reference = `$(${name})`;
    const value = str(variable.value);
    if (variable.valueFrom != null || value === reference || !value.includes(reference)) {
      warnings.push(
        `${String(at.child('env').index(i))}: hides previous definition of ${goQuote(name)}, which may be dropped when using apply`,
      );
    }
  });
}

/** The per-container warnings that follow the container's annotation ones. */
export function containerWarnings(container: Obj, at: FieldPath, warnings: string[]): void {
  resourceWarnings(container, at, warnings);
  envWarnings(container, at, warnings);
}

interface PortAt {
  at: FieldPath;
  hostIP: string;
  hostPort: number;
}

/** Go's %+v of a core ContainerPort. */
function portText(port: Obj): string {
  return `{Name:${str(port.name)} HostPort:${num(port.hostPort) ?? 0} ContainerPort:${num(port.containerPort) ?? 0} Protocol:${str(port.protocol)} HostIP:${str(port.hostIP)}}`;
}

/** What an earlier definition of the same containerPort/protocol makes of this one, if anything. */
function clash(port: PortAt, other: PortAt): string | undefined {
  if (port.hostIP === other.hostIP && port.hostPort === other.hostPort) return 'duplicate';
  if (port.hostPort === 0 || other.hostPort === 0) return 'overlapping';
  if (port.hostPort === other.hostPort && (port.hostIP === '') !== (other.hostIP === '')) return 'dangerously ambiguous';
  return undefined;
}

/** A named port whose name an earlier port (in any container) has: services and probes get the earlier one. */
function portNameWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const firstWithName = new Map<string, string>();
  for (const container of containersWithPath(spec, specPath)) {
    objList(container.c.ports).forEach((port, i) => {
      const name = str(port.name);
      if (name === '') return;
      const at = String(container.at.child('ports').index(i));
      const first = firstWithName.get(name);
      if (first === undefined) firstWithName.set(name, at);
      else
        warnings.push(
          `${at}: duplicate port name ${goQuote(name)} with ${first}, services and probes that select ports by name will use ${first}`,
        );
    });
  }
}

/** The port warnings, over every container's ports in visiting order, then the port name ones. */
export function portWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const byContainerPort = new Map<string, PortAt[]>();
  for (const container of containersWithPath(spec, specPath)) {
    const ports = objList(container.c.ports);
    if (ports.length === 0) continue;
    const portsPath = container.at.child('ports');
    ports.forEach((port, i) => {
      const current: PortAt = { at: portsPath.index(i), hostIP: str(port.hostIP), hostPort: num(port.hostPort) ?? 0 };
      if (current.hostIP !== '' && current.hostPort === 0)
        warnings.push(`${String(current.at)}: hostIP set without hostPort: ${portText(port)}`);
      const key = `${num(port.containerPort) ?? 0}/${str(port.protocol)}`;
      const others = byContainerPort.get(key);
      if (!others) {
        byContainerPort.set(key, [current]);
        return;
      }
      for (const other of others) {
        const kind = clash(current, other);
        if (kind) warnings.push(`${String(current.at)}: ${kind} port definition with ${String(other.at)}`);
      }
      others.push(current);
    });
  }
  portNameWarnings(spec, specPath, warnings);
}
