/**
 * The built library as a package user loads it: dist/index.js (import) and dist/index.cjs
 * (require) run dist/library.cjs with the build's V8 code cache; where the importer evaluates
 * modules in a vm context of its own (as Jest and Vitest's vm pools do), index.js loads the ES
 * modules (dist/library.js) instead, so its functions are that context's. When dist/ is not
 * built yet, the bundle is made first.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const env = { ...process.env, KUBEMOCK_CODE_CACHE_REPORT: '1' };

/** Starts a server with the loaded library, lists namespaces, stops it; prints the names and what it exported. */
const USE = `
const names = Object.keys(lib).sort();
const server = await lib.startKubemock();
const res = await fetch(server.url + '/api/v1/namespaces');
const list = await res.json();
const pods = await server.pods();
await server.stop();
console.log(JSON.stringify({ names, namespaces: list.items.map((n) => n.metadata.name).sort(), podsIsArray: pods instanceof Array }));
process.exit(0);
`;

function run(args: string[]) {
  const child = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  return { stderr: child.stderr, out: JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, unknown> };
}

describe('the built library (dist/index.js, dist/index.cjs)', () => {
  let exported: string[];
  before(() => {
    if (!existsSync(join(DIST, 'index.js')))
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bundle.ts')], {
        cwd: ROOT,
        stdio: 'inherit',
        timeout: 180_000,
      });
    // What the ES modules export: the entries must give the same names.
    exported = (run(['--input-type=module', '-e', `const lib = await import(${JSON.stringify(join(DIST, 'library.js'))}); ${USE}`]).out
      .names as string[])!;
    assert.ok(exported.includes('startKubemock') && exported.includes('DatabaseInUseError'));
  });

  it('import: runs the script with the code cache, exports what the ES modules export, and serves', () => {
    const { stderr, out } = run([
      '--input-type=module',
      '-e',
      `const lib = await import(${JSON.stringify(join(DIST, 'index.js'))}); ${USE}`,
    ]);
    assert.equal(stderr, 'kubemock: library script, code cache used\n');
    assert.deepEqual(out, { names: exported, namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'], podsIsArray: true });
  });

  it('import under other V8 flags: V8 refuses the cache, the script is compiled and serves the same', () => {
    const { stderr, out } = run([
      '--no-opt',
      '--input-type=module',
      '-e',
      `const lib = await import(${JSON.stringify(join(DIST, 'index.js'))}); ${USE}`,
    ]);
    assert.equal(stderr, 'kubemock: library script, code cache not used\n');
    assert.deepEqual(out.namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('require: index.cjs gives the same exports', () => {
    const { stderr, out } = run([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module'; const lib = createRequire(import.meta.url)(${JSON.stringify(join(DIST, 'index.cjs'))}); ${USE}`,
    ]);
    assert.equal(stderr, 'kubemock: library script, code cache used\n');
    assert.deepEqual(out.names, exported);
  });

  it("in a vm context of its own (as Jest's), it loads the ES modules: its functions are that context's", () => {
    // A minimal module loader in a new context: files are evaluated there, packages and built-ins
    // come from the outer realm (as Jest gives them), dynamic import() goes through the same loader.
    const loader = `
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';
const context = vm.createContext({ process, console, fetch, setTimeout, clearTimeout, setImmediate, clearImmediate, queueMicrotask, performance, URL, Buffer, TextEncoder, TextDecoder, AbortController, structuredClone, Response, Headers });
const cache = new Map();
async function link(specifier, referrer) {
  const base = referrer ? referrer.identifier : pathToFileURL(${JSON.stringify(DIST)} + '/').href;
  if (specifier.startsWith('.') || specifier.startsWith('file:')) {
    const url = new URL(specifier, base).href;
    if (!cache.has(url)) {
      const m = new vm.SourceTextModule(readFileSync(fileURLToPath(url), 'utf8'), {
        identifier: url, context,
        initializeImportMeta: (meta) => { meta.url = url; },
        importModuleDynamically: async (s, r) => { const d = await link(s, r); await d.link(link); await d.evaluate(); return d; },
      });
      cache.set(url, m);
    }
    return cache.get(url);
  }
  const outer = await import(specifier.startsWith('node:') ? specifier : createRequire(fileURLToPath(base)).resolve(specifier));
  const key = 'outer:' + specifier;
  if (!cache.has(key)) cache.set(key, new vm.SyntheticModule(Object.keys(outer), function () { for (const k of Object.keys(outer)) this.setExport(k, outer[k]); }, { context, identifier: key }));
  return cache.get(key);
}
const entry = await link(${JSON.stringify(pathToFileURLString(join(DIST, 'index.js')))});
await entry.link(link);
await entry.evaluate();
const lib = entry.namespace;
const server = await lib.startKubemock();
const pods = await server.pods();
const status = (await fetch(server.url + '/readyz')).status;
await server.stop();
console.log(JSON.stringify({ status, innerFunction: lib.startKubemock instanceof vm.runInContext('Function', context), outerFunction: lib.startKubemock instanceof Function, pods: pods.length }));
process.exit(0);
`;
    const { stderr, out } = run(['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', loader]);
    assert.equal(stderr, 'kubemock: library as ES modules (another context)\n');
    assert.deepEqual(out, { status: 200, innerFunction: true, outerFunction: false, pods: 0 });
  });
});

function pathToFileURLString(path: string): string {
  return new URL(`file://${path}`).href;
}
