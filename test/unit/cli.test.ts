import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_FLAGS } from '../../src/config.js';
import { runCli } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the kubemock command, before it starts a server', () => {
  it('--help prints every flag and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Usage: kubemock \[options\]\n/);
    for (const f of CONFIG_FLAGS) assert.ok(stdout.includes(f.flag) && stdout.includes(f.env), `${f.flag} in --help`);
    assert.equal(stderr, '');
  });

  it('--version prints the package version and exits 0', async () => {
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `kubemock ${pkg.version}\n`);
  });

  it('an unknown flag is refused on stderr with exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['--prot', '80']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^kubemock: Unknown option '--prot'/);
    assert.match(stderr, /Run 'kubemock --help' for usage\.\n$/);
  });

  it('a bad value, from a flag or a variable, is refused with exit 2', async () => {
    const flag = await runCli(['--log-level', 'loud']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^kubemock: --log-level: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n/);
    const env = await runCli([], { env: { KUBEMOCK_PORT: '99999' } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /^kubemock: KUBEMOCK_PORT: expected an integer from 0 to 65535, got "99999"\n/);
  });

  it('starts with the shebang that makes dist/main.js a bin', () => {
    const main = readFileSync(new URL('../../src/main.ts', import.meta.url), 'utf8');
    assert.ok(main.startsWith('#!/usr/bin/env node\n'));
  });
});
