/**
 * The second half of `npm run build` (after `tsc --emitDeclarationOnly` wrote dist/*.d.ts): bundles
 * the sources with esbuild into dist/ so a cold start reads a few files instead of ~360 modules
 * (module loading was most of the CLI's start).
 *
 * The library: index.js, app.js (buildApp, which the benchmarks load) and every
 * src/**\/*-worker.ts (a worker thread's file, e.g. the etcd client's, loaded by
 * `new URL('./<name>-worker.js', import.meta.url)`), ES modules flat in dist/ with their shared
 * chunks, so such a URL resolves from whichever chunk holds the code that asks. A dynamic import()
 * becomes a chunk loaded on first use, as it is from the sources.
 *
 * The command, in two CommonJS scripts, each run with V8's code cache (src/code-cache.ts): cli.cjs,
 * src/main.ts and what it loads (settings, the database lock, the socket, the kubeconfig, the
 * banner; no Fastify, no app), which main.js (from src/cli-launcher.ts) runs; and cli-app.cjs,
 * src/cli-app.ts and the whole app, which cli.cjs loads once it listens and has printed its banner.
 * Their caches, cli.cjs.cache and cli-app.cjs.cache, are made here by starting the built command
 * once, making kubectl's first requests and stopping it.
 *
 * Packages are bundled but for EXTERNAL_PACKAGES. Shipped folders are found through
 * src/apimachinery/package-root.ts, whatever the file's depth.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { openDatabase } from '../src/storage/database.js';
import { migrate, MIGRATIONS_DIR } from '../src/storage/migrate.js';
import { SCHEMA_SNAPSHOT_FILE, snapshotOf } from '../src/storage/schema-snapshot.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

/**
 * Packages left in node_modules, as they find files beside themselves through __dirname (which a
 * bundle has not): native code (better-sqlite3), gRPC protos (etcd3), worker files (synckit; pino
 * and pino-pretty for a logger transport), its own package.json (@fastify/swagger).
 */
const EXTERNAL_PACKAGES = [
  'better-sqlite3',
  'etcd3',
  'synckit',
  'pino',
  'pino-pretty',
  '@fastify/swagger',
  // Fastify's schema compilers (Ajv, fast-json-stringify: half a megabyte) load only if a route
  // declares a schema (src/http/lazy-schema-compilers.ts); bundled, every start would parse them.
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
];

/** Files under a folder, recursively, as absolute paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Worker thread entry files: src/**\/*-worker.ts. */
function workerEntries(src = SRC): string[] {
  return walk(src)
    .filter((f) => f.endsWith('-worker.ts'))
    .sort();
}

/** The kinds' folders as src/resources/index.ts finds them at start: those with a definition.ts. */
function kindFolders(): string[] {
  const dir = join(SRC, 'resources');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(dir, e.name)).includes('definition.ts'))
    .map((e) => e.name)
    .sort();
}

/** src/resources/index.ts lists its folders at run time; in the bundle the list is made now. */
const staticKindList: Plugin = {
  name: 'kubemock-kind-list',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]resources[\\/]index\.ts$/ }, () => {
      const folders = kindFolders();
      const imports = folders.map((f, i) => `import * as kind${i} from './${f}/definition.ts';`).join('\n');
      const list = folders.map((f, i) => `[${JSON.stringify(f)}, kind${i}]`).join(', ');
      return {
        loader: 'ts',
        resolveDir: join(SRC, 'resources'),
        contents: `${imports}\nimport { inServingOrder } from './kind-order.ts';\nexport const resources = inServingOrder([${list}]);\n`,
      };
    });
  },
};

/**
 * Packages the command loads only for some starts (certificates for TLS; the dashboard's file
 * server on its first request): each a CommonJS file of its own beside cli.cjs, which requires it
 * on first use. In cli.cjs every byte is held in memory from the start, even a function never
 * compiled: these were 0.8 of its 2.6 MB, and about 4 MB of resident memory.
 */
const COMMAND_SIDE_BUNDLES: Record<string, { file: string; contents: string }> = {
  '@peculiar/x509': { file: 'x509.cjs', contents: "require('reflect-metadata'); module.exports = require('@peculiar/x509');" },
  'reflect-metadata': { file: 'x509.cjs', contents: '' },
  '@fastify/static': { file: 'fastify-static.cjs', contents: "module.exports = require('@fastify/static');" },
};

/** In cli.cjs, COMMAND_SIDE_BUNDLES' packages are required from their files. */
const commandSideBundles: Plugin = {
  name: 'kubemock-command-side-bundles',
  setup(b) {
    b.onResolve({ filter: /^(@peculiar\/x509|reflect-metadata|@fastify\/static)$/ }, (args) => ({
      path: `./${COMMAND_SIDE_BUNDLES[args.path].file}`,
      external: true,
    }));
  },
};

/**
 * src/apimachinery/managed-fields/go-json-table.ts reads the `goJson` table from
 * proto/descriptor.json; in the bundles it is the table itself, as one JSON string (parsed on first
 * use: V8 parses JSON faster than the same object literal), without the rest of the descriptor.
 */
const goJsonTableInBundle: Plugin = {
  name: 'kubemock-go-json-table',
  setup(b) {
    b.onLoad({ filter: /[\\/]managed-fields[\\/]go-json-table\.ts$/ }, async () => {
      const { goJson } = JSON.parse(await readFile(join(ROOT, 'proto', 'descriptor.json'), 'utf8')) as { goJson: unknown };
      return {
        loader: 'js',
        contents: `export function readGoJsonTable() {\n  return JSON.parse(${JSON.stringify(JSON.stringify(goJson))});\n}\n`,
      };
    });
  },
};

/** src/main.ts without its `#!` line, which esbuild would put before the banner (it is main.js's, from src/cli-launcher.ts). */
const withoutHashbang: Plugin = {
  name: 'kubemock-without-hashbang',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]main\.ts$/ }, async (args) => ({
      loader: 'ts',
      contents: (await readFile(args.path, 'utf8')).replace(/^#!.*\n/, ''),
    }));
  },
};

/**
 * In cli.cjs, src/main.ts's `import('./cli-app.js')` runs cli-app.cjs, beside it, with its code
 * cache (written at exit instead when KUBEMOCK_APP_CODE_CACHE_OUT names a file, as the build's run
 * does); KUBEMOCK_CODE_CACHE_REPORT=1 tells on stderr whether the cache was used.
 */
const appPartFromItsScript: Plugin = {
  name: 'kubemock-app-part-script',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli-app\.js$/ }, (args) =>
      args.importer === join(SRC, 'main.ts') ? { path: 'cli-app-script', namespace: 'kubemock-app-part' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'kubemock-app-part' }, () => ({
      loader: 'js',
      resolveDir: SRC,
      contents:
        `const { join } = require('node:path');\n` +
        `const { runCachedScript } = require(${JSON.stringify(join(SRC, 'code-cache.ts'))});\n` +
        `const run = runCachedScript(join(__dirname, 'cli-app.cjs'), process.env.KUBEMOCK_APP_CODE_CACHE_OUT);\n` +
        `if (process.env.KUBEMOCK_CODE_CACHE_REPORT) process.stderr.write('kubemock: app code cache ' + (run.cacheUsed ? 'used' : 'not used') + '\\n');\n` +
        `module.exports = run.exports;\n`,
    }));
  },
};

/** What every bundle here shares: Node 20, packages bundled, only warnings printed. */
const FOR_NODE = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' } as const satisfies BuildOptions;
/** Fewer bytes to parse at start (identifiers are not minified: stack traces keep their names). */
const MINIFIED = { minifyWhitespace: true, minifySyntax: true } as const satisfies BuildOptions;

/**
 * A script that a launcher compiles with its V8 code cache (cli.cjs, library.cjs): one CommonJS
 * file whose packages stay outside, written as the function Node's loader would wrap a CommonJS
 * file in (plus the file's URL, which import.meta.url becomes), so the launcher compiles it as it is
 * read: a wrapped copy of megabytes would be garbage at start. Nothing goes before esbuild's
 * "use strict", which must stay the function's first statement. import() of a package left outside
 * (the dashboard's file server, @fastify/swagger) becomes require(): a script run by vm has no
 * module loader of its own to import with.
 */
const CODE_CACHED_SCRIPT = {
  ...FOR_NODE,
  ...MINIFIED,
  format: 'cjs',
  external: EXTERNAL_PACKAGES,
  define: { 'import.meta.url': '__kubemockFileUrl' },
  supported: { 'dynamic-import': false },
  banner: { js: '(function (exports, require, module, __filename, __dirname, __kubemockFileUrl) {' },
  footer: { js: '})' },
  sourcemap: true,
} as const satisfies BuildOptions;

/** Removes the JavaScript of an earlier build (the declarations tsc just wrote stay). */
function removeOldJavaScript(): void {
  let files: string[];
  try {
    files = walk(DIST);
  } catch {
    return;
  }
  for (const f of files) if (/\.(c?js)(\.map|\.cache)?$/.test(f)) rmSync(f);
}

/** What kubectl asks a server it has not met: the dispatcher's /version, discovery, then `get ns` (names, and a table). */
const KUBECTL_FIRST_REQUESTS: [path: string, accept: string][] = [
  ['/version?timeout=5s', 'application/json, */*'],
  [
    '/api?timeout=32s',
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
  ],
  [
    '/apis?timeout=32s',
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
  ],
  ['/api/v1/namespaces?limit=500', 'application/json'],
  [
    '/api/v1/namespaces?limit=500',
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
  ],
];

/** The environment without KUBEMOCK_* settings (a developer's own would change the run), plus `extra`. */
function commandEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('KUBEMOCK_')) delete env[name];
  return { ...env, ...extra };
}

/** Whether V8 takes `file`'s code cache (`file`.cache), in a fresh node as the command's. */
function cacheTaken(file: string): boolean {
  const check = `const { readFileSync } = require('node:fs'); const vm = require('node:vm'); const f = process.argv[1];
    const s = new vm.Script(readFileSync(f, 'utf8'), { filename: f, cachedData: readFileSync(f + '.cache') });
    process.stdout.write(s.cachedDataRejected ? 'rejected' : 'taken');`;
  return spawnSync(process.execPath, ['-e', check, file], { encoding: 'utf8' }).stdout === 'taken';
}

/**
 * Makes dist/cli.cjs.cache and dist/cli-app.cjs.cache: starts the built command (default flags, a
 * database file in a temporary folder, any free port) with KUBEMOCK_CODE_CACHE_OUT and
 * KUBEMOCK_APP_CODE_CACHE_OUT, makes kubectl's first requests, and stops it with SIGTERM; the two
 * scripts' caches are written at exit with what V8 compiled. Then checks that a start uses them.
 */
async function makeCodeCache(): Promise<void> {
  const cache = join(DIST, 'cli.cjs.cache');
  const appCache = join(DIST, 'cli-app.cjs.cache');
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-code-cache-'));
  try {
    const args = [join(DIST, 'main.js'), '--port', '0', '--db', join(dir, 'kubemock.db'), '--kubeconfig', join(dir, 'kubeconfig')];
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: commandEnv({ KUBEMOCK_CODE_CACHE_OUT: cache, KUBEMOCK_APP_CODE_CACHE_OUT: appCache }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the built command printed no banner in 60 s: ${err}`)), 60_000);
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /serving the Kubernetes API at (\S+)/.exec(out);
        if (m && /kubeconfig written to/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then((code) => reject(new Error(`the built command exited (${code}) before its banner: ${err}`)));
    });
    for (const [path, accept] of KUBECTL_FIRST_REQUESTS) {
      const res = await fetch(url + path, { headers: { accept } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    }
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 || !existsSync(cache) || !existsSync(appCache))
      throw new Error(`the built command exited ${code} without writing ${cache} and ${appCache}: ${err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const check = spawnSync(process.execPath, [join(DIST, 'main.js'), '--version'], {
    env: commandEnv({ KUBEMOCK_CODE_CACHE_REPORT: '1' }),
    encoding: 'utf8',
  });
  if (!check.stderr.includes('code cache used')) throw new Error(`V8 did not take the code cache just made: ${check.stderr}`);
  if (!cacheTaken(join(DIST, 'cli-app.cjs'))) throw new Error(`V8 did not take the app part's code cache just made (${appCache})`);
}

/**
 * The library's entries: library.cjs (src/index.ts and all it loads in one CommonJS script, like
 * cli.cjs), and index.js (ES module) and index.cjs (for require()), which run it with its code
 * cache through src/library-launcher.ts, or load library.js where it cannot serve. Both re-export
 * `names`, the ES module build's exports.
 */
async function buildLibraryEntries(names: string[] | undefined): Promise<void> {
  if (!names?.includes('startKubemock')) throw new Error(`the library's exports were not found: ${String(names)}`);
  await build({
    entryPoints: [join(SRC, 'index.ts')],
    outfile: join(DIST, 'library.cjs'),
    ...CODE_CACHED_SCRIPT,
    plugins: [staticKindList, goJsonTableInBundle, commandSideBundles],
  });
  for (const format of ['esm', 'cjs'] as const) {
    await build({
      entryPoints: [join(SRC, 'library-launcher.ts')],
      outfile: join(DIST, `library-launcher.${format === 'esm' ? 'js' : 'cjs'}`),
      ...FOR_NODE,
      format,
    });
  }
  const header = '// Generated by scripts/bundle.ts: the library, from its script with a code cache (src/library-launcher.ts).\n';
  writeFileSync(
    join(DIST, 'index.js'),
    `${header}import { fileURLToPath } from 'node:url';\nimport { loadLibraryScript } from './library-launcher.js';\n` +
      `const lib = loadLibraryScript(fileURLToPath(new URL('./library.cjs', import.meta.url))) ?? (await import('./library.js'));\n` +
      names.map((n) => `export const ${n} = lib.${n};\n`).join(''),
  );
  writeFileSync(
    join(DIST, 'index.cjs'),
    `${header}'use strict';\nconst { join } = require('node:path');\nconst { loadLibraryScript } = require('./library-launcher.cjs');\n` +
      `module.exports = loadLibraryScript(join(__dirname, 'library.cjs')) ?? require('./library.js');\n`,
  );
}

/** What a test makes of a fresh server: kubectl's first requests, and a ConfigMap written, read, listed and deleted. */
const LIBRARY_CACHE_RUN = `
const { startKubemock } = await import(process.argv[1]);
const server = await startKubemock();
const call = async (method, path, accept = 'application/json', body) => {
  const res = await fetch(server.url + path, { method, headers: { accept, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(method + ' ' + path + ' answered ' + res.status);
};
for (const [path, accept] of ${JSON.stringify(KUBECTL_FIRST_REQUESTS)}) await call('GET', path, accept);
const cm = '/api/v1/namespaces/default/configmaps';
await call('POST', cm, undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } });
await call('GET', cm + '/c');
await call('GET', cm);
await call('GET', '/api/v1/pods');
await call('DELETE', cm + '/c');
await server.stop();
process.exit(0);
`;

/**
 * Makes dist/library.cjs.cache: a process imports the built library with KUBEMOCK_CODE_CACHE_OUT,
 * starts a server, makes LIBRARY_CACHE_RUN's requests and stops it; the cache is written at exit.
 * Then checks that an import uses it.
 */
async function makeLibraryCodeCache(): Promise<void> {
  const cache = join(DIST, 'library.cjs.cache');
  const entry = join(DIST, 'index.js');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LIBRARY_CACHE_RUN, entry], {
    env: commandEnv({ KUBEMOCK_CODE_CACHE_OUT: cache }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0 || !existsSync(cache))
    throw new Error(`the library's cache run exited ${run.status} without writing ${cache}: ${run.stderr}`);
  const check = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)});`], {
    env: commandEnv({ KUBEMOCK_CODE_CACHE_REPORT: '1' }),
    encoding: 'utf8',
  });
  if (!check.stderr.includes('code cache used')) throw new Error(`V8 did not take the library's code cache just made: ${check.stderr}`);
}

/** dist/schema-snapshot.json: what the migrations leave in an empty database, run instead of them on one (src/storage/schema-snapshot.ts). */
function writeSchemaSnapshot(): void {
  const db = openDatabase(':memory:');
  try {
    migrate(db, MIGRATIONS_DIR);
    writeFileSync(SCHEMA_SNAPSHOT_FILE, `${JSON.stringify(snapshotOf(db), null, 2)}\n`);
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  removeOldJavaScript();
  // Before the code caches' runs, which then start on it as a user's start does.
  writeSchemaSnapshot();
  // The library's ES modules: library.js (src/index.ts), which index.js falls back to.
  const entryPoints = [
    { in: join(SRC, 'index.ts'), out: 'library' },
    { in: join(SRC, 'app.ts'), out: 'app' },
    ...workerEntries().map((f) => ({ in: f, out: basename(f, '.ts') })),
  ];
  const result = await build({
    entryPoints,
    outdir: DIST,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    ...FOR_NODE,
    ...MINIFIED,
    splitting: true,
    format: 'esm',
    // Packages are bundled too (their module loading was the other half of a cold start), except
    // those that read files beside themselves or load native code: they load from node_modules.
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS packages call require() for Node's built-ins; ESM has none, so each file gets one.
    banner: {
      js: "import { createRequire as __kubemockCreateRequire } from 'node:module'; const require = __kubemockCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    metafile: true,
    plugins: [staticKindList, goJsonTableInBundle],
  });
  // CEL, which src/apimachinery/cel/load-rules.ts loads with require() on the first schema with rules
  // (its callers are synchronous): CommonJS, on its own, with the CEL packages in it.
  await build({
    entryPoints: [join(SRC, 'apimachinery', 'cel', 'rules.ts')],
    outfile: join(DIST, 'cel-rules.cjs'),
    ...FOR_NODE,
    ...MINIFIED,
    format: 'cjs',
    sourcemap: true,
  });
  // The command: its early part and its app part, CommonJS scripts (import.meta.url becomes the file's URL), and the
  // launcher that runs the first.
  await build({
    entryPoints: [join(SRC, 'main.ts')],
    outfile: join(DIST, 'cli.cjs'),
    ...CODE_CACHED_SCRIPT,
    plugins: [appPartFromItsScript, staticKindList, goJsonTableInBundle, withoutHashbang, commandSideBundles],
  });
  await build({
    entryPoints: [join(SRC, 'cli-app.ts')],
    outfile: join(DIST, 'cli-app.cjs'),
    ...CODE_CACHED_SCRIPT,
    plugins: [staticKindList, goJsonTableInBundle, commandSideBundles],
  });
  for (const { file, contents } of Object.values(COMMAND_SIDE_BUNDLES)) {
    if (!contents) continue;
    await build({
      stdin: { contents, resolveDir: ROOT, loader: 'js' },
      outfile: join(DIST, file),
      ...FOR_NODE,
      ...MINIFIED,
      format: 'cjs',
    });
  }
  await build({
    entryPoints: [join(SRC, 'cli-launcher.ts')],
    outfile: join(DIST, 'main.js'),
    ...FOR_NODE,
    format: 'esm',
  });
  await buildLibraryEntries(result.metafile.outputs[relative(ROOT, join(DIST, 'library.js'))]?.exports);
  await makeCodeCache();
  await makeLibraryCodeCache();
  if (process.env.BUNDLE_METAFILE) writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));
  const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
  process.stdout.write(
    `bundled ${entryPoints.length} entries into ${outputs.length} files, cel-rules.cjs, and the command (main.js, cli.cjs, cli-app.cjs and their code caches) in ${relative(ROOT, DIST)}/\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
