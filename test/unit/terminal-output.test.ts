/**
 * What the CLI prints for a person at a terminal: the start-up banner, the progress line of long
 * work (only on a terminal), and the default log format (text on a terminal, JSON otherwise).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startupBanner } from '../../src/banner.js';
import { terminalProgress } from '../../src/terminal-progress.js';
import { defaultLogFormat } from '../../src/config.js';

/** A stream that keeps what is written; `now` is moved by hand. */
function fakeTerminal(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  const progress = terminalProgress({ isTTY, write: (s: string) => written.push(s) }, () => now);
  return { written, progress, advance: (ms: number) => (now += ms) };
}

describe('start-up banner', () => {
  it('names the API URL, the kubeconfig, the command to paste and the dashboard URL', () => {
    const text = startupBanner({
      version: '0.1.0',
      url: 'http://127.0.0.1:8001',
      dashboardUrl: 'http://127.0.0.1:8001/kubemock/ui/',
      kubeconfigPath: '/home/you/kubemock/kubeconfig',
    });
    assert.equal(
      text,
      'kubemock 0.1.0 is serving the Kubernetes API at http://127.0.0.1:8001\n' +
        'kubeconfig written to /home/you/kubemock/kubeconfig; try:\n' +
        '  kubectl --kubeconfig /home/you/kubemock/kubeconfig get nodes\n' +
        'dashboard: http://127.0.0.1:8001/kubemock/ui/\n',
    );
  });

  it('quotes a kubeconfig path the shell would split, so the command pastes as is', () => {
    const text = startupBanner({ version: '1', url: 'u', dashboardUrl: 'd', kubeconfigPath: "/tmp/it's here/kc" });
    assert.match(text, /\n {2}kubectl --kubeconfig '\/tmp\/it'\\''s here\/kc' get nodes\n/);
  });
});

describe('progress on a terminal', () => {
  it('rewrites one line in place while work lasts, and leaves "done" at its end', () => {
    const term = fakeTerminal(true);
    term.progress.report('nodes', 1, 5000);
    term.advance(150);
    term.progress.report('nodes', 1200, 5000);
    term.advance(10);
    term.progress.report('nodes', 1300, 5000); // within the interval: not written
    term.advance(150);
    term.progress.report('nodes', 2500, 5000);
    term.progress.report('nodes', 5000, 5000);
    assert.deepEqual(term.written, ['\r\x1b[Knodes: 1200/5000 (24%)', '\r\x1b[Knodes: 2500/5000 (50%)', '\r\x1b[Knodes: 5000/5000 done\n']);
  });

  it('shows nothing for work that ends within the first interval', () => {
    const term = fakeTerminal(true);
    for (let i = 1; i <= 3; i++) term.progress.report('nodes', i, 3);
    assert.deepEqual(term.written, []);
  });

  it('ends the line of a task that stopped short when the next one starts', () => {
    const term = fakeTerminal(true);
    term.progress.report('fixtures', 0, 10);
    term.advance(200);
    term.progress.report('fixtures', 4, 10);
    term.progress.report('nodes', 1, 2);
    assert.deepEqual(term.written, ['\r\x1b[Kfixtures: 4/10 (40%)', '\n']);
  });

  it('writes nothing at all when stderr is not a terminal', () => {
    const term = fakeTerminal(false);
    term.progress.report('nodes', 1, 5000);
    term.advance(1000);
    term.progress.report('nodes', 2500, 5000);
    term.progress.report('nodes', 5000, 5000);
    assert.deepEqual(term.written, []);
  });
});

describe('default log format', () => {
  it('is text on a terminal and JSON otherwise', () => {
    assert.equal(defaultLogFormat({ isTTY: true }), 'text');
    assert.equal(defaultLogFormat({ isTTY: false }), 'json');
    assert.equal(defaultLogFormat({}), 'json');
  });
});
