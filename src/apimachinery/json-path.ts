/**
 * The small JSONPath subset CRDs use (printer columns, selectable fields, scale paths):
 * `.a.b`, `.a[0]`, `.a[*].b`, `.a['x.y']` and `.a[?(@.type=="Ready")].status`. Returns every
 * match, in order; a path that does not parse matches nothing.
 */
import { isPlainObject } from './object.js';

type Step = { field: string } | { index: number } | { all: true } | { filter: { key: string[]; value: unknown } };

function parse(path: string): Step[] | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  const re = /^(?:\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]|\['([^']*)'\]|\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*("[^"]*"|'[^']*'|[^)\s]+)\)\])/;
  while (p) {
    const m = re.exec(p);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ field: m[3] });
    else if (m[4] !== undefined) {
      const raw = m[5];
      const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
      steps.push({ filter: { key: m[4].slice(1).split('.'), value } });
    } else steps.push({ all: true });
    p = p.slice(m[0].length);
  }
  return steps;
}

function dig(v: unknown, keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = isPlainObject(cur) ? cur[k] : undefined;
  return cur;
}

/** Every value `path` selects in `value`. */
export function jsonPathValues(value: unknown, path: string): unknown[] {
  const steps = parse(path);
  if (!steps) return [];
  let current: unknown[] = [value];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('field' in step) {
        if (isPlainObject(v) && v[step.field] !== undefined) next.push(v[step.field]);
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
        else if (isPlainObject(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v as unknown[]) if (dig(item, step.filter.key) === step.filter.value) next.push(item);
      }
    }
    current = next;
  }
  return current;
}

/** The field names of a simple path (`.spec.replicas` → ['spec', 'replicas']); undefined for anything else. */
export function simpleFieldPath(path: string): string[] | undefined {
  const steps = parse(path);
  if (!steps || !steps.every((s) => 'field' in s)) return undefined;
  return steps.map((s) => s.field);
}
