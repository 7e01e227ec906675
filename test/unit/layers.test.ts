/**
 * The layer rule of README's Architecture section: a module under src/ imports (types included)
 * only from its own layer or from a layer below it. Every relative import of every src/**.ts is
 * read with TypeScript's own pre-processor (static, re-exports and dynamic import()), so a new
 * file or a new import is checked without being listed here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The layers directly beneath each layer; a layer may import from every layer below it (these and
 * theirs, transitively) and from nothing else. http and controllers are peers on the kinds and
 * never import each other; the kubelet is a set of controllers on the controllers' runtime, so it
 * sits on them, but not on http; the files directly in src/ (app.ts, main.ts, index.ts,
 * config.ts, kubeconfig.ts, fixtures.ts) wire everything together.
 */
const BENEATH: Record<string, string[]> = {
  apimachinery: [],
  storage: ['apimachinery'],
  registry: ['storage'],
  resources: ['registry'],
  http: ['resources'],
  controllers: ['resources'],
  kubelet: ['controllers'],
  control: ['http', 'kubelet'],
  library: ['http', 'kubelet'],
  'src/*.ts': ['control', 'library'],
};

/** Every layer below `layer`. */
function below(layer: string): Set<string> {
  const seen = new Set<string>();
  const visit = (l: string): void => {
    for (const b of BENEATH[l] ?? []) {
      if (seen.has(b)) continue;
      seen.add(b);
      visit(b);
    }
  };
  visit(layer);
  return seen;
}

/** Packages confined to some layers: SQLite is storage's alone; Fastify stays above the store and its kinds. */
const PACKAGE_RULES: { pattern: RegExp; what: string; allowed: (layer: string) => boolean }[] = [
  { pattern: /^better-sqlite3$/, what: 'SQLite', allowed: (layer) => layer === 'storage' },
  {
    pattern: /^(fastify|fastify-plugin|@fastify\/.*)$/,
    what: 'Fastify',
    allowed: (layer) => !['apimachinery', 'storage', 'registry', 'resources'].includes(layer),
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The layer a path under src/ belongs to: its first folder, or 'src/*.ts' for the files directly in src/. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? 'src/*.ts' : parts[0];
}

/** Every module specifier a file imports or re-exports, in order. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** The import is allowed by the layer rule (same layer, or one below). */
function allowed(from: string, to: string): boolean {
  return from === to || below(from).has(to);
}

interface Offence {
  file: string;
  specifier: string;
  why: string;
}

function offences(): Offence[] {
  const found: Offence[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path);
    const from = layerOf(path);
    if (!(from in BENEATH)) {
      found.push({ file, specifier: '', why: `src/${from} is in no layer: add it to BENEATH here and to README's Architecture section` });
      continue;
    }
    for (const specifier of importsOf(path)) {
      if (specifier.startsWith('.')) {
        const to = layerOf(resolve(dirname(path), specifier));
        if (!allowed(from, to)) found.push({ file, specifier, why: `${from} → ${to}` });
        continue;
      }
      for (const rule of PACKAGE_RULES) {
        if (rule.pattern.test(specifier) && !rule.allowed(from)) found.push({ file, specifier, why: `${rule.what} in ${from}` });
      }
    }
  }
  return found;
}

/** Types of which each app has its own: a table keyed by one is per-app state. */
const PER_APP = new Set(['Registry', 'FastifyInstance', 'Kubemock', 'ControlPlane', 'Manager', 'ObjectCache', 'KubeletState']);

/** Module-level `new Map/WeakMap/Set/WeakSet<K, …>()` whose key type is per-app: state that belongs in an object the app owns. */
function perAppTables(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      const init = decl.initializer;
      if (!init || !ts.isNewExpression(init) || !/^(Weak)?(Map|Set)$/.test(init.expression.getText(source))) continue;
      const key = init.typeArguments?.[0]?.getText(source) ?? '';
      if (PER_APP.has(key)) found.push(`${decl.name.getText(source)} = ${init.getText(source)}`);
    }
  }
  return found;
}

describe('layers', () => {
  it('reads the imports of every source file', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 100, `only ${files.length} files under ${SRC}`);
    const app = importsOf(join(SRC, 'app.ts'));
    assert.ok(app.includes('./registry/registry.js') && app.includes('fastify'), `app.ts imports: ${app.join(', ')}`);
  });

  it('the rule itself: down only, peers apart, same layer free', () => {
    assert.ok(
      allowed('http', 'registry') &&
        allowed('kubelet', 'controllers') &&
        allowed('kubelet', 'apimachinery') &&
        allowed('src/*.ts', 'control') &&
        allowed('kubelet', 'kubelet'),
    );
    assert.ok(!allowed('registry', 'http') && !allowed('controllers', 'kubelet') && !allowed('kubelet', 'http'));
    assert.ok(
      !allowed('http', 'controllers') && !allowed('controllers', 'http') && !allowed('http', 'kubelet') && !allowed('control', 'library'),
    );
  });

  it('no module keeps per-app state in a table keyed by the app (a Registry, …): the app owns it', () => {
    const found = sourceFiles(SRC).flatMap((path) => perAppTables(path).map((t) => `src/${relative(SRC, path)}: ${t}`));
    assert.deepEqual(found, [], `module-level tables keyed by a per-app object:\n  ${found.join('\n  ')}`);
  });

  it('every import under src/ points to its own layer or one below', () => {
    const found = offences();
    assert.deepEqual(
      found,
      [],
      `imports against the layer rule (README, Architecture):\n${found.map((o) => `  src/${o.file}: ${o.specifier} (${o.why})`).join('\n')}`,
    );
  });
});
