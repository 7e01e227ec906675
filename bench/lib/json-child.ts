/**
 * A measurement run in a child process of its own (a fresh heap and JIT per measurement): BENCH_TARGET
 * set, its stderr shown, and its last stdout line its result as JSON. A child that hangs is killed
 * after `limitMs`; one that prints no result rejects.
 *
 * Against the build (BENCH_TARGET=dist, the default) the child runs on plain node, as kubemock runs
 * in production: its script is bundled to JavaScript first (esbuild, once per run, into bench/.build/
 * at the script's depth, so that its URLs relative to itself, ../../dist/app.js, still hold). Through
 * tsx the same child held ~170 MB more (tsx's loader thread, and source maps kept for every module it
 * loaded), all of it in the resident set the convergence rows report. Against the sources
 * (BENCH_TARGET=src) the child needs tsx and runs through it.
 */
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_DIR = fileURLToPath(new URL('../.build/', import.meta.url));

/** The bundles made in this run, by script. */
const bundles = new Map<string, Promise<string>>();

/** `script` as one JavaScript file node runs without a loader; its packages stay imports from node_modules. */
function plainScript(script: string): Promise<string> {
  let bundled = bundles.get(script);
  if (!bundled) {
    bundled = (async () => {
      const { build } = await import('esbuild');
      const outfile = join(BUILD_DIR, basename(script).replace(/\.ts$/, '.js'));
      await build({
        entryPoints: [script],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'error',
      });
      return outfile;
    })();
    bundles.set(script, bundled);
  }
  return bundled;
}

export async function runJsonChild<T>(name: string, script: string, args: readonly string[], target: string, limitMs: number): Promise<T> {
  const entry = target === 'src' ? ['--import', 'tsx', script] : [await plainScript(script)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      env: { ...process.env, BENCH_TARGET: target },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch {
        reject(new Error(`${name} child gave no result: ${out.slice(0, 200)}`));
      }
    });
  });
}
