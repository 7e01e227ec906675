/**
 * Field order checks for the bytes kubemock writes: every nested object's keys in its schema's
 * (Go struct's) order, map keys sorted as encoding/json sorts them, and helpers that shuffle an
 * object's keys at every level to make a request whose order says nothing.
 */
import type { TSchema } from '@sinclair/typebox';
import { itemsOf, mapValueOf, propertyNames, propertyOf, shapeOf } from '../../src/apimachinery/schema-walk.js';

/** Where `value` (parsed from the wire: JSON.parse keeps the document's key order) leaves the schema's order. */
export function orderProblems(value: unknown, schema: TSchema | undefined, path = ''): string[] {
  const out: string[] = [];
  walk(value, schema, path, out);
  return out;
}

function walk(value: unknown, schema: TSchema | undefined, path: string, out: string[]): void {
  if (!schema || value === null || typeof value !== 'object') return;
  const shape = shapeOf(schema);
  if (shape === 'list') {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, itemsOf(schema), `${path}[${i}]`, out));
    return;
  }
  if (Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (shape === 'map') {
    const sorted = [...keys].sort();
    if (keys.join('\0') !== sorted.join('\0')) out.push(`${path || '.'}: map keys ${keys.join(',')} are not sorted`);
    for (const k of keys) walk(obj[k], mapValueOf(schema), `${path}.${k}`, out);
    return;
  }
  if (shape !== 'object') return;
  const names = propertyNames(schema);
  const unknown = keys.filter((k) => !names.includes(k));
  if (unknown.length) out.push(`${path || '.'}: fields ${unknown.join(',')} are not in the schema`);
  const want = names.filter((k) => keys.includes(k));
  if (keys.join(',') !== want.join(',')) out.push(`${path || '.'}: ${keys.join(',')} (schema order: ${want.join(',')})`);
  for (const k of keys) walk(obj[k], propertyOf(schema, k), `${path}.${k}`, out);
}

/** The keys of `value` must be `order` with the absent ones left out (a Go struct's JSON). */
export function keysInOrder(value: unknown, order: readonly string[]): { actual: string[]; expected: string[] } {
  const actual = Object.keys(value as object);
  return {
    actual,
    expected: order.filter((k) => actual.includes(k)).concat(actual.filter((k) => !order.includes(k)).map((k) => `<unexpected ${k}>`)),
  };
}

/**
 * A deep copy of a JSON value with every object's keys in another order: reversed when `random`
 * is absent, else shuffled (and never left as it was when it has two keys or more).
 */
export function scrambled<T>(value: T, random?: () => number): T {
  if (Array.isArray(value)) return value.map((v) => scrambled(v, random)) as T;
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  let order = keys.slice().reverse();
  if (random) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    if (order.length > 1 && order.every((k, i) => k === keys[i])) order = keys.slice().reverse();
  }
  const out: Record<string, unknown> = {};
  for (const k of order) out[k] = scrambled((value as Record<string, unknown>)[k], random);
  return out as T;
}
