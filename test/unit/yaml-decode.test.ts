/** YAML read within goyaml's alias rules and a nesting limit measured before any recursion. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlDocuments, YamlError, yamlToJs } from '../../src/apimachinery/yaml-decode.js';

function read(text: string): unknown {
  const [doc] = parseYamlDocuments(text);
  assert.ok(doc, 'a document');
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
  );
  return yamlToJs(doc);
}

function refused(text: string): string {
  try {
    read(text);
  } catch (e) {
    if (e instanceof YamlError) return e.message;
    throw e;
  }
  assert.fail('expected a YamlError');
}

const flow = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('YAML nesting', () => {
  it("reads 500 levels, flow and block together, and refuses the 501st with goyaml's words", () => {
    // The top-level mapping is one level, its flow value the other 499.
    assert.equal(JSON.stringify(read(`a: ${flow(499)}\n`)), `{"a":${flow(499).replace(/\]\[/g, '],[')}}`);
    assert.equal(refused(`a: ${flow(500)}\n`), 'yaml: line 1: exceeded max depth of 500');
    assert.equal(refused(`x: 1\nb: {c: ${'{d: '.repeat(600)}1${'}'.repeat(600)}}\n`), 'yaml: line 2: exceeded max depth of 500');
  });

  it('counts block mappings and sequences by their indentation, not by lines', () => {
    let deep = '';
    for (let i = 0; i < 499; i++) deep += `${' '.repeat(i)}k:\n`;
    assert.ok(read(deep));
    assert.match(refused(`${deep}${' '.repeat(499)}k:\n${' '.repeat(500)}k: 1\n`), /^yaml: line 501: exceeded max depth of 500$/);
    // A long flat document is not deep.
    assert.equal((read('items:\n' + '  - a: 1\n    b: 2\n'.repeat(5000)) as { items: unknown[] }).items.length, 5000);
    assert.equal(refused(`a: ${'- '.repeat(600)}x\n`), 'yaml: line 1: exceeded max depth of 500');
  });

  it('does not count brackets inside scalars', () => {
    const text = `a: "${'['.repeat(2000)}"\nb: '${'{'.repeat(2000)}'\nc: |\n  ${'['.repeat(2000)}\nd: x[${'['.repeat(2000)}\n`;
    const value = read(text) as Record<string, string>;
    assert.equal(value.a.length, 2000);
    assert.equal(value.d.length, 2002);
  });
});

describe('YAML aliases', () => {
  it('refuses an alias before its anchor and one inside its own anchor', () => {
    assert.equal(refused('a: *x\nb: &x 1\n'), "yaml: unknown anchor 'x' referenced");
    assert.equal(refused('a: &x\n  b: *x\n'), "yaml: anchor 'x' value contains itself");
    assert.equal(refused('a: &x [1, [2, *x]]\n'), "yaml: anchor 'x' value contains itself");
  });

  it('takes the latest anchor of a name before the alias, as goyaml does', () => {
    assert.deepEqual(read('a: &x 1\nb: *x\nc: &x 2\nd: *x\n'), { a: 1, b: 1, c: 2, d: 2 });
  });

  it("refuses alias bombs by goyaml's ratio of aliased decode steps, and reads ordinary sharing", () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    assert.equal(refused(lines.join('\n')), 'yaml: document contains excessive aliasing');
    // 200 aliases of a small mapping: most decode steps are the document's own.
    const shared = `base: &b {a: 1, b: 2}\nitems:\n${'  - *b\n'.repeat(200)}`;
    assert.equal((read(shared) as { items: unknown[] }).items.length, 200);
    // 150 aliases of a 1000-item list: over 99 % of the steps are inside aliases.
    const big = `base: &b [${Array(1000).fill('1').join(', ')}]\nitems: [${Array(150).fill('*b').join(', ')}]\n`;
    assert.equal(refused(big), 'yaml: document contains excessive aliasing');
  });

  it('resolves each alias once, in one pass: tens of thousands of aliases read in linear time', { timeout: 20_000 }, () => {
    const lines = ['data:', '  a: &a x', ...Array.from({ length: 40_000 }, (_, i) => `  k${i}: *a`)];
    const data = (read(lines.join('\n')) as { data: Record<string, string> }).data;
    assert.equal(Object.keys(data).length, 40_001);
    assert.equal(data.k39999, 'x');
    // An alias names the last anchor of its name before it.
    assert.deepEqual(read('a: &x 1\nb: *x\nc: &x 2\nd: *x\n'), { a: 1, b: 1, c: 2, d: 2 });
  });

  it('merges `<<` keys as goyaml does: explicit keys win, the first merged source wins', () => {
    const text = 'a: &a {p: 1, r: 1}\nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n  r: 9\nd: {<<: *b, q: 0}\n';
    assert.deepEqual(read(text), {
      a: { p: 1, r: 1 },
      b: { p: 2, q: 2 },
      c: { p: 1, r: 9, q: 2 },
      d: { p: 2, q: 0 },
    });
    assert.equal(refused('a:\n  <<: x\n'), 'yaml: map merge requires map or sequence of maps as the value');
    assert.deepEqual(read('a:\n  "<<": x\n'), { a: { '<<': 'x' } }, 'a quoted << is a plain key');
  });
});
