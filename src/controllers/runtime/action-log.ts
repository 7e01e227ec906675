/**
 * What controllers did, at info, in words a person reads: "node node-2: NotReady (kubelet stopped
 * posting status)". Actions on single objects are held for a short window and those alike (same
 * kind, same words) are told together, so a burst of thousands stays a few lines:
 * "5000 pods: deleted by the garbage collector (owner gone): default/web-1, default/web-2, …".
 */
import type { Logger } from './manager.js';

/** How long actions are gathered before they are told (real time: it paces output, not the simulation). */
const WINDOW_MS = 250;
/** Alike actions told one a line up to this many; more are summed up in one. */
const SINGLE_LINES = 3;
/** The names a summary line gives. */
const SAMPLE = 3;

interface Group {
  kind: string;
  did: string;
  names: string[];
  controller: string;
}

export class ActionLog {
  private groups = new Map<string, Group>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly windowMs = WINDOW_MS,
  ) {}

  /** One action on one object: `kind` a lower-case noun ("pod"), `did` the words ("deleted by pod GC (node node-3 is gone)"). */
  note(controller: string, kind: string, name: string, did: string): void {
    const id = `${controller}\0${kind}\0${did}`;
    const group = this.groups.get(id);
    if (group) group.names.push(name);
    else this.groups.set(id, { controller, kind, did, names: [name] });
    this.timer ??= setTimeout(() => this.flush(), this.windowMs).unref();
  }

  /** Tells what was gathered now (also at shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const { controller, kind, did, names } of groups) {
      if (names.length <= SINGLE_LINES) {
        for (const name of names) this.log.info({ controller, kind, name }, `${kind} ${name}: ${did}`);
        continue;
      }
      const sample = names.slice(0, SAMPLE).join(', ');
      this.log.info({ controller, kind, count: names.length }, `${names.length} ${kind}s: ${did}: ${sample}, …`);
    }
  }
}
