/**
 * Every kind kubemock serves: each folder here with a `definition.ts` (`definition.js` once built)
 * whose default export is the kind's ResourceDefinition, or an array of them. Adding a kind is
 * adding a folder: nothing else names it. The bundle (scripts/bundle.ts) replaces this module by
 * one that imports the folders it found when it was built; the order is kind-order.ts's either way.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { inServingOrder, type KindModule } from './kind-order.js';

const here = fileURLToPath(import.meta.url);
const folder = dirname(here);
/** `.ts` when run from the sources (tsx), `.js` when built. */
const ext = extname(here);

const folders = readdirSync(folder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, `definition${ext}`)))
  .map((entry) => entry.name)
  .sort();

const modules = await Promise.all(folders.map(async (name) => [name, (await import(`./${name}/definition.js`)) as KindModule] as const));

export const resources: ResourceDefinition[] = inServingOrder(modules);
