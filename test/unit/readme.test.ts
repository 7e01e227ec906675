/** The README is the user's manual: check that what it promises matches the code and the scripts. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONFIG_FLAGS } from '../../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The lines of every fenced code block. */
const codeLines = [...readme.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split('\n').map((l) => l.trim()));

/** Rows of Markdown tables, as cells with backticks and `\|` escapes undone. */
const tableRows = readme
  .split('\n')
  .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
  .map((line) =>
    line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((cell) =>
        cell
          .trim()
          .replaceAll('\\|', '|')
          .replace(/^`(.*)`$/, '$1'),
      ),
  );

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)],
  );
}

describe('README', () => {
  it('gives one command to start the server and one to run the whole suite', () => {
    assert.ok(codeLines.includes('npm install && npm start'), 'the start command');
    assert.ok(codeLines.includes('npm install && npm test'), 'the test command');
    assert.equal(scripts.prestart, 'npm run build', 'npm start builds first, so a fresh clone can start');
    assert.match(scripts.start ?? '', /^node dist\/main\.js$/);
  });

  it('documents every flag in CONFIG_FLAGS with its variable, default and description', () => {
    for (const f of CONFIG_FLAGS) {
      const row = tableRows.find((cells) => cells[0] === f.flag);
      assert.ok(row, `no table row for ${f.flag}`);
      assert.deepEqual(row, [f.flag, f.env, f.default, f.description], `the README row for ${f.flag}`);
    }
  });

  it('documents no flag that kubemock lacks', () => {
    const known = new Set<string>(CONFIG_FLAGS.map((f) => f.flag));
    for (const cells of tableRows) {
      if (/^--[a-z-]+$/.test(cells[0] ?? '')) assert.ok(known.has(cells[0]), `README documents unknown flag ${cells[0]}`);
    }
    for (const m of readme.matchAll(/npm start -- (.*)$/gm)) {
      for (const flag of m[1].match(/--[a-z-]+/g) ?? []) assert.ok(known.has(flag), `example uses unknown flag ${flag}`);
    }
  });

  it('shows the curl and kubectl examples', () => {
    for (const line of [
      'curl http://127.0.0.1:8001/api/v1/namespaces',
      'kubectl --kubeconfig ./kubeconfig get nodes',
      'kubectl --kubeconfig ./kubeconfig create -f test/fixtures/tutorial-daemonset.yaml',
      'npm run bench',
    ]) {
      assert.ok(codeLines.includes(line), `README lacks \`${line}\``);
    }
    assert.match(readme, /-H 'Content-Type: application\/yaml' --data-binary @pod\.yaml/);
    assert.match(readme, /-H 'Content-Type: application\/merge-patch\+json'/);
    assert.ok(existsSync(join(root, 'test/fixtures/tutorial-daemonset.yaml')));
  });

  it('shows each test marked `<!-- operator-test: FILE -->` as FILE is, importing kubemock by its package name', () => {
    const shown = [...readme.matchAll(/^<!-- operator-test: (\S+) -->\n```ts\n([\s\S]*?)^```$/gm)];
    assert.ok(shown.length >= 1, 'the operator-style test is shown');
    for (const [, file, code] of shown) {
      const source = readFileSync(join(root, file), 'utf8').replace("from '../../src/index.js';", "from 'kubemock';");
      assert.equal(code, source, `README's copy of ${file}`);
    }
  });

  it('has a Benchmarks and an Architecture section naming every folder under src/', () => {
    assert.match(readme, /^## Benchmarks$/m);
    const architecture = readme.split(/^## Architecture$/m)[1];
    assert.ok(architecture, 'an Architecture section');
    for (const e of readdirSync(join(root, 'src'), { withFileTypes: true })) {
      if (e.isDirectory()) assert.ok(architecture.includes(`\`src/${e.name}`), `Architecture does not mention src/${e.name}`);
    }
    for (const file of ['app.ts', 'main.ts', 'config.ts', 'kubeconfig.ts']) assert.ok(architecture.includes(`src/${file}`), `src/${file}`);
  });
});

describe('scripts and CI', () => {
  it('npm test runs every test file under test/', () => {
    const test = scripts.test ?? '';
    assert.match(test, /^npm run lint && npm run build && node --import tsx --import \.\/test\/helpers\/report-guard\.ts --test /);
    // The file list is a command substitution; run it as npm's shell would.
    const listing = /\$\((.*)\)/.exec(test)?.[1];
    assert.ok(listing, `no $(…) file list in ${test}`);
    const listed = execFileSync('sh', ['-c', listing], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    const all = walk(join(root, 'test'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => relative(root, f))
      .sort();
    assert.ok(all.length > 0);
    assert.deepEqual(listed, all);
  });

  it('npm test lints first (typecheck of the sources and the tests, ESLint, Prettier, knip), and README says so', () => {
    const steps = (scripts.test ?? '').split(' && ');
    assert.ok(steps.indexOf('npm run lint') >= 0, 'npm test runs npm run lint');
    assert.ok(steps.indexOf('npm run lint') < steps.findIndex((s) => s.startsWith('node ')), 'the lint comes before the tests');
    const lint = (scripts.lint ?? '').split(' && ');
    assert.deepEqual(lint, ['npm run typecheck', 'eslint .', 'prettier --check .', 'knip']);
    assert.ok((scripts.typecheck ?? '').includes('tsc -p test/tsconfig.json --noEmit'), 'npm run typecheck covers the tests');
    const testRow = tableRows.find((cells) => cells[0] === 'npm test');
    assert.ok(testRow, 'the Tests table lists npm test');
    assert.match(testRow[1] ?? '', /npm run lint/, 'the Tests table says npm test lints first');
    const lintRow = tableRows.find((cells) => cells[0] === 'npm run lint');
    assert.ok(lintRow, 'the Tests table lists npm run lint');
    for (const tool of ['typecheck', 'ESLint', 'Prettier', 'knip']) assert.ok(lintRow[1]?.includes(tool), `the lint row names ${tool}`);
  });

  it('.ci/run installs with npm ci, then runs the README test command with KUBECTL_REQUIRED=1', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    const lines = ci
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], 'set -euo pipefail');
    assert.ok(lines.includes('export KUBECTL_REQUIRED=1'));
    const install = lines.indexOf('npm ci');
    const test = lines.indexOf('npm test');
    assert.ok(install >= 0 && test > install, 'npm ci, then npm test');
    assert.ok(lines.indexOf('export KUBECTL_REQUIRED=1') < test);
  });

  it('.ci/run requires the Python client tests, installing python3-kubernetes where it is missing; README says how to run them', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    const lines = ci.split('\n').map((l) => l.trim());
    const test = lines.indexOf('npm test');
    assert.ok(lines.indexOf('export PYTHON_CLIENT_REQUIRED=1') >= 0 && lines.indexOf('export PYTHON_CLIENT_REQUIRED=1') < test);
    const install = lines.findIndex((l) => /apt-get install .*python3-kubernetes/.test(l));
    assert.ok(install >= 0 && install < test, 'apt-get install python3-kubernetes before npm test');
    assert.equal(scripts['test:python'], 'node --import tsx --test test/python/python-client.test.ts');
    assert.ok(
      tableRows.some((cells) => cells[0] === 'npm run test:python'),
      'the Tests table lists npm run test:python',
    );
    assert.match(readme, /apt-get install\s+python3-kubernetes/);
  });
});
