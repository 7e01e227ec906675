// The panel of recent events: the newest few, redrawn at most four times a second.
import { keyOf } from './summaries.js';

const SHOWN = 100;
const DRAW_EVERY_MS = 250;

// As kubectl prints an Event: a series by its last observation and its count; a singleton of the new API (no count) once.
const when = (e) => e.series?.lastObservedTime || e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp || '';
const countOf = (e) => e.series?.count ?? (e.count || 1);

export class EventList {
  /** @param {HTMLOListElement} list */
  constructor(list) {
    this.list = list;
    this.events = new Map(); // namespace/name → Event
    this.timer = 0;
  }

  reset(items) {
    this.events = new Map(items.map((e) => [keyOf(e), e]));
    this.schedule();
  }

  set(event) {
    this.events.set(keyOf(event), event);
    this.schedule();
  }

  remove(event) {
    this.events.delete(keyOf(event));
    this.schedule();
  }

  /** Draws at most four times a second: a rollout over many nodes brings hundreds of events a second. */
  schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => requestAnimationFrame(() => this.draw()), DRAW_EVERY_MS);
  }

  draw() {
    this.timer = 0;
    const newest = [...this.events.values()].sort((a, b) => (when(a) < when(b) ? 1 : when(a) > when(b) ? -1 : 0)).slice(0, SHOWN);
    // Older events beyond what is shown are not kept: the panel is for what just happened.
    if (this.events.size > SHOWN * 2) this.events = new Map(newest.map((e) => [keyOf(e), e]));
    this.list.replaceChildren(
      ...newest.map((e) => {
        const li = document.createElement('li');
        li.className = e.type === 'Warning' ? 'warning' : 'normal';
        const o = e.involvedObject ?? e.regarding ?? {};
        const head = document.createElement('div');
        head.className = 'event-head';
        const time = when(e);
        head.textContent = `${time ? time.slice(11, 19) : ''} ${e.reason ?? ''} ${(o.kind ?? '').toLowerCase()}/${o.name ?? ''}${countOf(e) > 1 ? ` ×${countOf(e)}` : ''}`;
        const message = document.createElement('div');
        message.className = 'event-message';
        message.textContent = e.message ?? e.note ?? '';
        li.title = `${e.metadata.namespace ?? ''} ${time}`;
        li.append(head, message);
        return li;
      }),
    );
  }
}
