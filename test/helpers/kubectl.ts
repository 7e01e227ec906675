/**
 * End-to-end harness: a real listening kubemock and the real kubectl binary (kwok's kwok.test.sh,
 * envtest). Every server gets its own temp folder with its kubeconfig and kubectl's cache, so
 * neither the user's ~/.kube nor another test's discovery cache is ever read.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { buildApp, type AppOptions, type Kubemock } from '../../src/app.js';
import { serverUrl, writeKubeconfig } from '../../src/kubeconfig.js';
import { findKubectl } from './kubectl-binaries.js';

export { findKubectl, findKubectlVersions } from './kubectl-binaries.js';

export const KUBECTL_TIMEOUT_MS = 30_000;

/**
 * The kubectl path, or undefined after skipping the test (the caller returns). With
 * KUBECTL_REQUIRED=1 (as in CI) a missing kubectl fails the test instead.
 */
export function kubectlOrSkip(t: TestContext): string | undefined {
  const kubectl = findKubectl();
  if (kubectl) return kubectl;
  const why = `kubectl not found: no executable "kubectl" in any PATH folder (PATH=${process.env.PATH ?? ''})`;
  if (process.env.KUBECTL_REQUIRED === '1') {
    assert.fail(`${why}. KUBECTL_REQUIRED=1 makes this a failure: install kubectl or unset KUBECTL_REQUIRED.`);
  }
  t.skip(why);
  return undefined;
}

export interface TestServer {
  url: string;
  kubeconfigPath: string;
  /** kubectl's --cache-dir for this server. */
  cacheDir: string;
  kubemock: Kubemock;
  stop(): Promise<void>;
}

/**
 * A kubemock on a database file (as `npm start` runs, its writes on the writer thread from the
 * first one), listening on 127.0.0.1 at a free port, with its kubeconfig written.
 */
export async function startServer(opts: { nodes?: number; app?: Partial<AppOptions> } = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kubemock-e2e-'));
  let kubemock: Kubemock | undefined;
  const stop = async () => {
    await kubemock?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    kubemock = await buildApp({ db: join(dir, 'kubemock.db'), writerThread: 0, logLevel: 'silent', ...opts.app });
    await kubemock.fastify.listen({ host: '127.0.0.1', port: 0 });
    const { port } = kubemock.fastify.server.address() as AddressInfo;
    const url = serverUrl('127.0.0.1', port);
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfigPath, url);
    if (opts.nodes) await kubemock.ensureNodes(opts.nodes);
    return { url, kubeconfigPath, cacheDir: join(dir, 'cache'), kubemock, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/**
 * A server for the tests of the enclosing suite (or file): started before them, stopped after
 * them. The handle reads the running server's fields, so tests pass it wherever a TestServer goes.
 */
export function useServer(opts: Parameters<typeof startServer>[0] = {}): TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startServer(opts);
  });
  after(async () => {
    await server?.stop();
  });
  const current = (): TestServer => {
    if (!server) throw new Error('the server is not running: call useServer in a suite or at the top of a file, and use it in tests');
    return server;
  };
  return {
    get url() {
      return current().url;
    },
    get kubeconfigPath() {
      return current().kubeconfigPath;
    },
    get cacheDir() {
      return current().cacheDir;
    },
    get kubemock() {
      return current().kubemock;
    },
    stop: () => current().stop(),
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** The kubectl binary (default: findKubectl()). */
  bin?: string;
  /** Written to kubectl's standard input (for `-f -`). */
  input?: string;
  /** Added to the environment. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs kubectl against the server, without a shell. Resolves with the exit code and output;
 * rejects if kubectl cannot start, dies by a signal, or runs longer than the timeout (then it is killed).
 */
export function runKubectl(
  server: Pick<TestServer, 'kubeconfigPath' | 'cacheDir'>,
  args: string[],
  opts: KubectlOptions = {},
): Promise<KubectlResult> {
  const bin = opts.bin ?? findKubectl() ?? 'kubectl';
  const timeoutMs = opts.timeoutMs ?? KUBECTL_TIMEOUT_MS;
  const argv = ['--kubeconfig', server.kubeconfigPath, '--cache-dir', server.cacheDir, ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.KUBECONFIG; // --kubeconfig decides; never merge in the user's clusters
  const shown = `${bin} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${shown}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`${shown} was killed after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      else if (code === null) reject(new Error(`${shown} died by ${signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // kubectl may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** runKubectl that also asserts exit code 0, showing the command and its stderr otherwise. */
export async function kubectlOk(
  server: Pick<TestServer, 'kubeconfigPath' | 'cacheDir'>,
  args: string[],
  opts: KubectlOptions = {},
): Promise<KubectlResult> {
  const result = await runKubectl(server, args, opts);
  assert.equal(
    result.code,
    0,
    `${opts.bin ?? 'kubectl'} ${args.join(' ')} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
  );
  return result;
}
