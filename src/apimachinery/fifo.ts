/**
 * A first-in first-out queue read from a head index: taking the first item copies nothing
 * (Array.shift is O(n) on a long queue), and the spent head is cut off once it is at least 1,024
 * items and half the array, so the array follows what is pending. The work queue's keys, the Event
 * expiry's deadlines and the watch fan-out's streams waiting for their slice.
 */

/** Spent items at the head before they are cut off. */
const SPENT_HEAD = 1024;

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** How many items are pending. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The first pending item, left in the queue. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Takes the first pending item. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head === this.items.length) this.replace([]);
    else if (this.head >= SPENT_HEAD && this.head * 2 >= this.items.length) this.replace(this.items.slice(this.head));
    return item;
  }

  /** The pending items, first first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i];
  }

  /** Keeps the pending items that pass `keep`, in order. */
  retain(keep: (item: T) => boolean): void {
    this.replace(this.items.slice(this.head).filter(keep));
  }

  /** Makes `items` (owned by the queue from now on) the pending ones. */
  replace(items: T[]): void {
    this.items = items;
    this.head = 0;
  }
}
