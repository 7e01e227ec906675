/**
 * The simulated output of a container: a few deterministic lines written when it started, and a
 * line per second while someone follows the log. Pure: container-logs.ts cuts and streams them.
 */
import type { ContainerStatus } from '../resources/schemas.js';
import type { StoredPod } from '../resources/stored.js';

export interface LogLine {
  /** When the container wrote the line (ms since the epoch). */
  time: number;
  text: string;
}

/** RFC 3339 with nine fractional digits, as CRI log timestamps (`2025-01-01T00:00:05.000000000Z`). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The lines a container wrote when it started. */
export function startupLines(pod: StoredPod, status: ContainerStatus, startedAt: number): LogLine[] {
  const ns = pod.metadata.namespace ?? '';
  const texts = [
    `kubemock: container ${status.name} started from image ${status.image ?? ''}`,
    `kubemock: pod ${ns}/${pod.metadata.name ?? ''} on node ${pod.spec?.nodeName ?? ''} with IP ${pod.status?.podIP ?? ''}`,
    `kubemock: ${status.name} is ready`,
  ];
  return texts.map((text, i) => ({ time: startedAt + i, text }));
}

/** The n-th line (1-based) written after start, one per second. */
export function tickLine(container: string, startedAt: number, n: number): LogLine {
  return { time: startedAt + n * 1000, text: `kubemock: ${container} tick ${n}` };
}

export interface LogCut {
  tailLines?: number;
  /** Only lines written at or after this instant. */
  since?: number;
  timestamps?: boolean;
}

/** The lines that survive sinceSeconds/sinceTime and tailLines. */
export function cutLines(lines: LogLine[], cut: LogCut): LogLine[] {
  let out = cut.since === undefined ? lines : lines.filter((l) => l.time >= cut.since!);
  if (cut.tailLines !== undefined) out = cut.tailLines === 0 ? [] : out.slice(-cut.tailLines);
  return out;
}

export function formatLine(line: LogLine, timestamps: boolean | undefined): string {
  return `${timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.text}\n`;
}
