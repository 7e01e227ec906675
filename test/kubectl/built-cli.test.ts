/**
 * The built command, as `npm start` and the Docker image run it: dist/main.js (the esbuild bundle of
 * scripts/bundle.ts) with plain node, on a database file. It must find what it ships beside itself
 * (migrations/, proto/, ui/, package.json) from the bundle, and answer kubectl; it runs its
 * script (dist/cli.cjs) from the V8 code cache the build made, or from the source under other V8
 * flags. When dist/ is not built yet (a test run without `npm run build`), the bundle is made first.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BUILT_MAIN, runCli, startCli, type StartedCli } from '../helpers/cli.js';
import { kubectlOk, kubectlOrSkip } from '../helpers/kubectl.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the built kubemock command (dist/main.js)', () => {
  let dir: string;
  before(async () => {
    if (!existsSync(BUILT_MAIN))
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bundle.ts')], {
        cwd: ROOT,
        stdio: 'inherit',
        timeout: 120_000,
      });
    dir = await mkdtemp(join(tmpdir(), 'kubemock-built-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], { built: true });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `kubemock ${version}\n`);
  });

  it("compiles nothing the build's code cache holds, and runs from the source when V8 refuses the cache", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const env = { ...process.env, KUBEMOCK_CODE_CACHE_REPORT: '1' };
    const cached = spawnSync(process.execPath, [BUILT_MAIN, '--version'], { env, encoding: 'utf8' });
    assert.equal(cached.status, 0, cached.stderr);
    assert.equal(cached.stderr, 'kubemock: code cache used\n');
    assert.equal(cached.stdout, `kubemock ${version}\n`);
    // Other V8 flags than the build's: V8 refuses the cache, and the same command compiles its script.
    const refused = spawnSync(process.execPath, ['--no-opt', BUILT_MAIN, '--version'], { env, encoding: 'utf8' });
    assert.equal(refused.status, 0, refused.stderr);
    assert.equal(refused.stderr, 'kubemock: code cache not used\n');
    assert.equal(refused.stdout, `kubemock ${version}\n`);
  });

  it('serves kubectl on a database file, with its dashboard, protobuf bodies and a restart on the same file', async (t) => {
    const db = join(dir, 'kubemock.db');
    const kubeconfig = join(dir, 'kubeconfig');
    const args = ['--port', '0', '--db', db, '--kubeconfig', kubeconfig, '--log-level', 'silent'];
    let server: StartedCli = await startCli(args, { built: true, cwd: dir, env: { KUBEMOCK_CODE_CACHE_REPORT: '1' } });
    try {
      const ui = await fetch(`${server.url}/kubemock/ui/`);
      assert.equal(ui.status, 200);
      assert.match(await ui.text(), /<html/i);
      // The command's two scripts, each from the build's code cache: the early part's, then the app's (loaded after the banner).
      assert.equal(server.stderr(), 'kubemock: code cache used\nkubemock: app code cache used\n');
      if (!kubectlOrSkip(t)) return;
      const cluster = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dir, 'cache') };
      const ns = await kubectlOk(cluster, ['get', 'ns', '-o', 'name']);
      assert.deepEqual(ns.stdout.trim().split('\n').sort(), [
        'namespace/default',
        'namespace/kube-node-lease',
        'namespace/kube-public',
        'namespace/kube-system',
      ]);
      // A typed create: kubectl 1.32 and later send it as protobuf (proto/descriptor.json, protobufjs).
      await kubectlOk(cluster, ['create', 'namespace', 'from-built-cli']);
      const nodes = await kubectlOk(cluster, ['get', 'nodes', '-o', 'name']);
      assert.deepEqual(nodes.stdout.trim().split('\n').sort(), ['node/node-1', 'node/node-2', 'node/node-3']);
      assert.equal(await server.stop('SIGTERM'), 0, server.stderr());

      // The same file again: the migrations' checksums match, and what was written is there.
      server = await startCli(args, { built: true, cwd: dir });
      const again = await kubectlOk({ ...cluster, kubeconfigPath: server.kubeconfigPath }, ['get', 'ns', 'from-built-cli', '-o', 'name']);
      assert.equal(again.stdout.trim(), 'namespace/from-built-cli');
    } finally {
      await server.stop('SIGTERM');
    }
  });
});
