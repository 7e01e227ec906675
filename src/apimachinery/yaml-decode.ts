/**
 * YAML text read within the limits kube-apiserver's YAML decoder (sigs.k8s.io/yaml over goyaml.v2)
 * keeps, failing with its words instead of a stack overflow or a value that cannot be written:
 * - nesting: goyaml's scanner refuses more than 10,000 flow levels (`[`, `{`) or block indentation
 *   levels, `yaml: line N: exceeded max depth of 10000`. The `yaml` package composes documents
 *   recursively and overflows Node's stack near 800 levels, so the limit here is MAX_DEPTH, flow
 *   and block levels together, worded the same way with that number. Depth is measured on the
 *   lexer's flat token stream, before any recursion.
 * - aliases: `yaml: unknown anchor 'a' referenced` (an alias before its anchor), `yaml: anchor 'a'
 *   value contains itself` (an alias inside the node it names) and, for alias bombs, goyaml's ratio
 *   of decode steps made inside aliases: `yaml: document contains excessive aliasing`.
 * Errors are YamlErrors whose message is goyaml's (`yaml: …`); callers add their own prefix.
 */
import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, type Document } from 'yaml';

/** The nesting the `yaml` package's recursive composer follows with room to spare (goyaml: 10,000). */
const MAX_DEPTH = 500;

export class YamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlError';
  }
}

type Token = string;

/** Tokens that are (or start) a node's content, as opposed to space, comments and indicators. */
const NODE_START = new Set(['single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header', 'alias', 'anchor', 'tag']);

/** The lexer's markers: control characters it adds, no part of the text (`scalar` precedes a scalar's source). */
const MARKERS = new Set(['scalar', 'doc-mode', 'flow-error-end']);
/** Tokens that neither end a line's indentation nor follow an indicator: markers and spaces. */
const INVISIBLE = new Set([...MARKERS, 'space', 'byte-order-mark']);

/**
 * The lexer's tokens, checked for depth as they pass: flow collections count their level, block
 * content counts the stack of indentation columns goyaml keeps (a column deeper than the one open
 * pushes, a shallower one pops back to it).
 */
function* depthChecked(text: string): Generator<Token> {
  let flow = 0;
  const indents: number[] = [];
  let line = 1;
  let col = 0;
  let lineStart = true;
  let afterIndicator = false;
  let scalarText = false;
  const tooDeep = (): never => {
    throw new YamlError(`yaml: line ${line}: exceeded max depth of ${MAX_DEPTH}`);
  };
  for (const token of new Lexer().lex(text)) {
    const type: string | null = scalarText ? 'scalar-text' : CST.tokenType(token);
    scalarText = type === 'scalar'; // the scalar marker: its source follows as the next token
    const start = col;
    if (type === 'flow-seq-start' || type === 'flow-map-start') {
      if (++flow + indents.length > MAX_DEPTH) tooDeep();
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      flow = Math.max(0, flow - 1);
    }
    const content = type === 'scalar-text' || NODE_START.has(type ?? '') || type === 'seq-item-ind' || type === 'explicit-key-ind';
    if (flow === 0 && (content || type === 'flow-seq-start' || type === 'flow-map-start') && (lineStart || afterIndicator)) {
      if (lineStart) while (indents.length && indents[indents.length - 1] > start) indents.pop();
      if (!indents.length || indents[indents.length - 1] < start) {
        indents.push(start);
        if (flow + indents.length > MAX_DEPTH) tooDeep();
      }
    }
    if (!INVISIBLE.has(type ?? '')) {
      afterIndicator = type === 'seq-item-ind' || type === 'explicit-key-ind';
      if (type !== 'newline') lineStart = false;
    }
    if (MARKERS.has(type ?? '')) {
      yield token;
      continue;
    }
    const nl = token.lastIndexOf('\n');
    if (nl >= 0) {
      for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
      col = token.length - nl - 1;
      lineStart = true;
      afterIndicator = false;
    } else col += token.length;
    yield token;
  }
}

/** goyaml's allowedAliasRatio: the share of decode steps that may come from alias expansion. */
function allowedAliasRatio(decodes: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodes <= low) return 0.99;
  if (decodes >= high) return 0.1;
  return 0.99 - 0.89 * ((decodes - low) / (high - low));
}

/** A node's children in document order (a pair's key before its value). */
function childrenOf(node: unknown): unknown[] {
  if (!isMap(node) && !isSeq(node)) return [];
  const children: unknown[] = [];
  for (const entry of node.items) {
    if (isPair(entry)) children.push(entry.key, entry.value);
    else children.push(entry);
  }
  return children;
}

/**
 * What each alias names: the node of the last anchor of its name set before it in document order
 * (a node's anchor is set before its content, so an alias inside the node it names finds it).
 * One pass: the `yaml` package's Alias.resolve walks the whole document for each alias.
 */
function aliasTargets(doc: Document): Map<unknown, unknown> {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined) targets.set(node, target);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return targets;
}

/**
 * Walks a document as goyaml's decoder does, aliases expanded, without recursion: every alias
 * must name an anchor set before it, no alias may be reached again inside its own expansion,
 * and the steps taken inside aliases stay within goyaml's ratio.
 */
function checkAliases(doc: Document, targets: Map<unknown, unknown>): void {
  let decodes = 1; // the document node
  let aliased = 0;
  let aliasDepth = 0;
  const expanding = new Set<unknown>();
  // A node to visit, or the end of an alias's expansion.
  const stack: ({ node: unknown } | { done: unknown })[] = [{ node: doc.contents }];
  while (stack.length) {
    const item = stack.pop()!;
    if ('done' in item) {
      expanding.delete(item.done);
      aliasDepth--;
      continue;
    }
    const node = item.node;
    if (node === null || node === undefined) continue;
    decodes++;
    if (aliasDepth > 0) aliased++;
    if (aliased > 100 && decodes > 1000 && aliased / decodes > allowedAliasRatio(decodes)) {
      throw new YamlError('yaml: document contains excessive aliasing');
    }
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target === undefined) throw new YamlError(`yaml: unknown anchor '${node.source}' referenced`);
      if (expanding.has(node)) throw new YamlError(`yaml: anchor '${node.source}' value contains itself`);
      expanding.add(node);
      aliasDepth++;
      stack.push({ done: node }, { node: target });
    } else {
      const children = childrenOf(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] });
    }
  }
}

/**
 * Puts each alias's node in its place (the tree becomes a graph whose shared nodes are converted
 * once per place, as goyaml copies them): the `yaml` package's toJS would look each alias up in a
 * list of every anchor and alias before it, quadratic in their number.
 */
function inlineAliases(doc: Document, targets: Map<unknown, unknown>): void {
  const seen = new Set<unknown>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (seen.has(node) || (!isMap(node) && !isSeq(node))) continue;
    seen.add(node);
    const items = node.items as unknown[];
    for (let i = 0; i < items.length; i++) {
      const entry = items[i];
      if (isPair(entry)) {
        if (isAlias(entry.key)) entry.key = targets.get(entry.key);
        if (isAlias(entry.value)) entry.value = targets.get(entry.value);
        stack.push(entry.key, entry.value);
      } else {
        if (isAlias(entry)) items[i] = targets.get(entry);
        stack.push(items[i]);
      }
    }
  }
}

/**
 * Every document of a YAML stream, composed once its depth is known to be within the limits.
 * Syntax errors stay in each document's `errors` (with line positions), as `parseAllDocuments`
 * leaves them; only a document past the nesting limit throws (a YamlError).
 */
export function parseYamlDocuments(text: string): Document.Parsed[] {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0); // as Parser.parse does: the first line starts at offset 0
  const parser = new Parser(lineCounter.addNewLine);
  // goyaml (sigs.k8s.io/yaml's reader) merges `<<` keys.
  const composer = new Composer({ uniqueKeys: false, merge: true });
  const cst = (function* () {
    for (const token of depthChecked(text)) yield* parser.next(token);
    yield* parser.end();
  })();
  const docs = Array.from(composer.compose(cst));
  for (const doc of docs) {
    for (const error of doc.errors) {
      const [at] = error.pos;
      error.linePos = [lineCounter.linePos(at)];
    }
  }
  return docs;
}

/**
 * The offsets of the keys a mapping of the document repeats (a scalar key equal to an earlier one of
 * the same mapping), in the order goyaml's strict decoder meets them: a mapping's pairs in turn, a
 * value's own mappings before the next key. One set per mapping (the `yaml` package's uniqueKeys
 * compares each key with every earlier one). Aliases are not followed.
 */
export function repeatedKeyOffsets(doc: Document): number[] {
  const out: number[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          if (keys.has(key.value)) out.push(key.range?.[0] ?? 0);
          keys.add(key.value);
        }
        visit(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(doc.contents);
  return out;
}

/**
 * A composed document (without errors) as plain data, once its aliases are known to resolve,
 * to end, and to stay within goyaml's expansion ratio; the `yaml` package's own alias count is
 * then not applied, so what goyaml accepts is accepted.
 */
export function yamlToJs(doc: Document): unknown {
  const targets = aliasTargets(doc);
  checkAliases(doc, targets);
  if (targets.size) inlineAliases(doc, targets);
  try {
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  } catch (e) {
    // The one error conversion has: a `<<` whose value is no mapping (or list of them).
    if (e instanceof Error && e.message.startsWith('Merge sources')) {
      throw new YamlError('yaml: map merge requires map or sequence of maps as the value');
    }
    throw e;
  }
}
