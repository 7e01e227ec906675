/**
 * What the kubemock command prints for a person: under a real pseudo-terminal (util-linux
 * `script`), text logs and a progress line for long start-up work; through pipes, JSON log lines
 * and no progress at all.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/eventually.js';
import { shellQuote } from '../../src/banner.js';
import { useTempDir } from '../helpers/temp-dir.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** Enough nodes that creating them lasts well past the progress line's first interval. */
const NODES = '1500';
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the kubemock command on a terminal and off it', () => {
  const dir = useTempDir('kubemock-cli-output-');

  it(
    'on a terminal: the banner, then a progress line for the nodes (the app starts after the banner), and the logs as text',
    { skip: !hasScript && 'no script(1)' },
    async (t) => {
      const args = ['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir(), 'tty-kc'), '--nodes', NODES];
      args.push('--node-heartbeat-ms', '600000');
      const command = [process.execPath, '--import', TSX, MAIN, ...args].map(shellQuote).join(' ');
      // script gives the command a pseudo-terminal as stdin, stdout and stderr, and copies it to its own stdout.
      const env = { ...process.env };
      for (const name of Object.keys(env)) if (name.startsWith('KUBEMOCK_')) delete env[name];
      const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      const exited = new Promise((resolve) => child.on('close', resolve));
      t.after(async () => {
        child.kill('SIGTERM');
        await exited;
      });
      const done = new RegExp(`\\x1b\\[Knodes: ${NODES}/${NODES} done\\n`);
      const text = await waitFor(
        () => {
          const lines = out.replace(/\r/g, ''); // a terminal's line ends are \r\n
          return done.test(lines) ? lines : false;
        },
        { timeoutMs: 60_000 },
      );
      assert.match(text, new RegExp(`\\x1b\\[Knodes: \\d+/${NODES} \\(\\d+%\\)`), 'the line rewritten in place');
      assert.match(text, /\ndashboard: \S+/);
      assert.ok(text.indexOf('is serving the Kubernetes API') < text.indexOf('nodes: '), 'the banner before the progress');
      assert.match(text, /INFO.*: .*Server listening at http:\/\/127\.0\.0\.1:\d+/, 'text log lines');
      assert.doesNotMatch(text, /\{"level":/, 'no JSON on a terminal');
    },
  );

  it('through pipes: no progress on stderr, JSON log lines on stdout', async (t) => {
    const args = ['--port', '0', '--db', ':memory:', '--kubeconfig', join(dir(), 'pipe-kc'), '--nodes', NODES];
    const server = await startCli([...args, '--node-heartbeat-ms', '600000'], { timeoutMs: 60_000 });
    t.after(() => server.stop());
    // Answered once the start is complete (the nodes made).
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.equal(server.stderr(), '', 'stderr stays empty');
    const logLines = server
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    assert.ok(logLines.length > 0, server.stdout());
    for (const line of logLines) assert.equal(typeof (JSON.parse(line) as { msg: unknown }).msg, 'string');
    assert.doesNotMatch(server.stdout(), /nodes: \d+\//);
  });
});
