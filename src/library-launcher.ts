/**
 * What dist/index.js and dist/index.cjs, the library's entries, run first (`npm run build` makes
 * them from a few generated lines that call this and re-export what it returns): loads
 * dist/library.cjs, the library in one CommonJS script, with the V8 code cache the build made for
 * it (dist/library.cjs.cache, see src/code-cache.ts), which cut a fresh process's import and first
 * `startKubemock()` by about a third. Where the script would not share the importer's globals (a
 * test runner evaluating modules in a vm context of its own, as Jest and Vitest's vm pools do) or
 * cannot run, it answers undefined and the entry loads the same library as ES modules
 * (dist/library.js) instead. From the sources, src/index.ts is the entry.
 *
 * Two variables serve the build: KUBEMOCK_CODE_CACHE_OUT=<file> writes the cache when the process
 * exits; KUBEMOCK_CODE_CACHE_REPORT=1 tells on stderr how the library was loaded.
 */
import { inMainContext, runCachedScript } from './code-cache.js';

export function loadLibraryScript(file: string): Record<string, unknown> | undefined {
  const report = process.env.KUBEMOCK_CODE_CACHE_REPORT ? (how: string) => process.stderr.write(`kubemock: library ${how}\n`) : () => {};
  if (!inMainContext()) {
    report('as ES modules (another context)');
    return undefined;
  }
  try {
    const { exports, cacheUsed } = runCachedScript(file, process.env.KUBEMOCK_CODE_CACHE_OUT);
    report(`script, code cache ${cacheUsed ? 'used' : 'not used'}`);
    return exports;
  } catch (err) {
    report(`as ES modules (${String(err)})`);
    return undefined;
  }
}
