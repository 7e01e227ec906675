/**
 * The second half of `npm run build` (after `tsc --emitDeclarationOnly` wrote dist/*.d.ts): bundles
 * the sources with esbuild into dist/ so a cold start reads a few files instead of ~360 modules
 * (module loading was most of the CLI's start). Entries: main.js (the CLI), index.js (the library),
 * app.js (buildApp, which the benchmarks load) and every src/**\/*-worker.ts (a worker thread's
 * file, e.g. the etcd client's, loaded by `new URL('./<name>-worker.js', import.meta.url)`), all
 * flat in dist/ with their shared chunks, so such a URL resolves from whichever chunk holds the
 * code that asks. A dynamic import() becomes a chunk loaded on first use, as it is from the
 * sources. Packages are bundled but for EXTERNAL_PACKAGES. Shipped folders are found through
 * src/apimachinery/package-root.ts, whatever the file's depth.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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

/** Removes the JavaScript of an earlier build (the declarations tsc just wrote stay). */
function removeOldJavaScript(): void {
  let files: string[];
  try {
    files = walk(DIST);
  } catch {
    return;
  }
  for (const f of files) if (/\.(c?js)(\.map)?$/.test(f)) rmSync(f);
}

async function main(): Promise<void> {
  removeOldJavaScript();
  const entryPoints = [join(SRC, 'main.ts'), join(SRC, 'index.ts'), join(SRC, 'app.ts'), ...workerEntries()];
  const result = await build({
    entryPoints,
    outdir: DIST,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages are bundled too (their module loading was the other half of a cold start), except
    // those that read files beside themselves or load native code: they load from node_modules.
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS packages call require() for Node's built-ins; ESM has none, so each file gets one.
    banner: {
      js: "import { createRequire as __kubemockCreateRequire } from 'node:module'; const require = __kubemockCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    // Fewer bytes to parse at start (identifiers are not minified: stack traces keep their names).
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [staticKindList],
  });
  // CEL, which src/apimachinery/cel/load-rules.ts loads with require() on the first schema with rules
  // (its callers are synchronous): CommonJS, on its own, with the CEL packages in it.
  await build({
    entryPoints: [join(SRC, 'apimachinery', 'cel', 'rules.ts')],
    outfile: join(DIST, 'cel-rules.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  if (process.env.BUNDLE_METAFILE) writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));
  const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
  process.stdout.write(
    `bundled ${entryPoints.length} entries into ${outputs.length} files and cel-rules.cjs in ${relative(ROOT, DIST)}/\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
