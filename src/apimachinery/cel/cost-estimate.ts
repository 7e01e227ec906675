/**
 * The worst-case cost of a checked CEL expression, as kube-apiserver estimates it before it accepts
 * a CRD rule (cel-go's checker cost estimator, with the Kubernetes library's function costs and
 * size estimator): 1 for each identifier and field selection (on objects and maps), 0 for a
 * constant, 10 for a list literal and 30 for a map literal, 1 for most calls, costs that grow with
 * the sizes of strings, lists and maps for string traversal (0.1 a character), regexes, equality,
 * concatenation and `in`, and a comprehension's range size times the cost of one iteration. Sizes
 * come from the literals themselves, from the schema's bounds along the path of a value
 * (self.spec.items.@items…, see decl-sizes.ts), or are unknown (up to 2^64). Costs saturate at
 * 2^64 - 1 as upstream's unsigned arithmetic does. The estimator follows cel-go v0.26's rules;
 * has() costs 0 as Kubernetes configures it.
 */
import type { parse } from '@bufbuild/cel';
import type { DeclSize } from './decl-sizes.js';
import type { CelSchemaType } from './types.js';

type Expr = ReturnType<typeof parse>['expr'];

/** A range of sizes or costs (unsigned, saturating at MAX). */
export interface Range {
  min: number;
  max: number;
}

/** 2^64 - 1 (a double holds it as 2^64). */
export const MAX = 2 ** 64;

const STRING_TRAVERSAL = 0.1;
const REGEX_LENGTH = 0.25;
const LIST_CREATE = 10;
const MAP_CREATE = 30;
const STRUCT_CREATE = 40;
const SELECT_AND_IDENT = 1;
/** The longest regex of a named format (format.dns1123Label() …), as upstream assumes. */
const MAX_NAME_FORMAT_REGEX = 128;

const UNKNOWN: Range = { min: 0, max: MAX };
const fixed = (n: number): Range => ({ min: n, max: n });

const addU = (a: number, b: number) => Math.min(a + b, MAX);
const mulU = (a: number, b: number) => (b !== 0 && a > MAX / b ? MAX : Math.min(a * b, MAX));
function mulFactor(x: number, f: number): number {
  if (x > 0 && f > 0 && x > MAX / f) return MAX;
  return Math.min(Math.ceil(x * f), MAX);
}
const add = (a: Range, b: Range): Range => ({ min: addU(a.min, b.min), max: addU(a.max, b.max) });
const mul = (a: Range, b: Range): Range => ({ min: mulU(a.min, b.min), max: mulU(a.max, b.max) });
const byFactor = (a: Range, f: number): Range => ({ min: mulFactor(a.min, f), max: mulFactor(a.max, f) });
const union = (a: Range, b: Range): Range => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });

/** What a container literal or computed list/map holds: its kind and the sizes of keys and values. */
interface EntrySize {
  container: 'list' | 'map';
  key: Range;
  val: Range;
}

const unionEntries = (a: EntrySize | undefined, b: EntrySize | undefined): EntrySize | undefined =>
  a && b ? { container: a.container, key: union(a.key, b.key), val: union(a.val, b.val) } : undefined;

interface LocalVar {
  path: string[];
  size?: Range;
  entry?: EntrySize;
}

/** A call argument or target as the function cost rules see it. */
interface Node {
  expr: Expr;
  path: string[];
  type: CelSchemaType;
  /** The size known from the expression itself (literals, sizes tracked through calls), or from the schema. */
  size?: Range;
}

const ACCUMULATORS = new Set(['@result', '__result__']);
const DYN: CelSchemaType = { kind: 'dyn' };
const SCALAR_KINDS = new Set(['bool', 'double', 'duration', 'int', 'timestamp', 'uint']);
/** Functions whose qualified name parses as a method call on an identifier. */
const QUALIFIED = new Set(['sets.contains', 'sets.equivalent', 'sets.intersects', 'strings.quote', 'format.named', 'ip.isCanonical']);
/** Functions answering one of the Kubernetes library's own types (quantity, semver, url, ip, cidr, format). */
const OPAQUE_RESULTS = new Set(['quantity', 'semver', 'url', 'ip', 'cidr', 'masked', 'add', 'sub', 'format.named']);
const NOMINAL = new Set([
  'format.named',
  'sign',
  'asInteger',
  'isInteger',
  'asApproximateFloat',
  'isGreaterThan',
  'isLessThan',
  'compareTo',
  'add',
  'sub',
  'major',
  'minor',
  'patch',
  'getScheme',
  'getHostname',
  'getHost',
  'getPort',
  'getEscapedPath',
  'getQuery',
  'masked',
  'prefixLength',
  'family',
  'isUnspecified',
  'isLoopback',
  'isLinkLocalMulticast',
  'isLinkLocalUnicast',
  'isGlobalUnicast',
]);
const ORDERING = new Set(['_<_', '_<=_', '_>_', '_>=_']);
const NUMERIC_KINDS = new Set(['int', 'uint', 'double', 'timestamp', 'duration', 'bool']);

interface CallEstimate {
  cost: Range;
  resultSize?: Range;
}

/** One estimation: the node types from the checker and the size bounds of `self`'s schema. */
class Estimator {
  private readonly paths = new Map<bigint, string[]>();
  private readonly sizes = new Map<bigint, Range>();
  private readonly entries = new Map<bigint, EntrySize>();
  private readonly locals = new Map<string, LocalVar[]>();
  /** Calls whose result is a Kubernetes library type (compared at a fixed cost). */
  private readonly opaque = new Set<bigint>();

  constructor(
    private readonly types: ReadonlyMap<bigint, CelSchemaType>,
    private readonly root: DeclSize | undefined,
  ) {}

  private type(e: Expr): CelSchemaType {
    return this.types.get(e.id) ?? DYN;
  }

  private local(name: string): LocalVar | undefined {
    const stack = this.locals.get(name);
    return stack?.[stack.length - 1];
  }

  private push(name: string, v: LocalVar): void {
    const stack = this.locals.get(name) ?? [];
    stack.push(v);
    this.locals.set(name, stack);
  }

  private pop(name: string): void {
    this.locals.get(name)?.pop();
  }

  private path(e: Expr): string[] {
    if (e.exprKind.case === 'identExpr') {
      const v = this.local(e.exprKind.value.name);
      if (v) return v.path;
    }
    return this.paths.get(e.id) ?? [];
  }

  /** The schema's bound for the value at `path` (self, then fields, @items, @values, @keys). */
  private estimateSize(path: string[]): Range | undefined {
    if (!path.length || !this.root) return undefined;
    let node: DeclSize | undefined = this.root;
    for (const step of path.slice(1)) {
      if (step === '@items' || step === '@values') node = node.elem;
      else if (step === '@keys') node = node.key;
      else node = node.fields?.get(step);
      if (!node) return undefined;
    }
    return { min: 0, max: node.maxElements };
  }

  private computeSize(e: Expr): Range | undefined {
    const known = this.sizes.get(e.id);
    if (known) return known;
    const literal = literalSize(e);
    if (literal) return literal;
    const estimated = this.estimateSize(this.path(e));
    if (estimated) {
      this.sizes.set(e.id, estimated);
      return estimated;
    }
    const t = this.type(e);
    // an optional of a scalar is of a fixed size too (cel-go's isScalar)
    if (SCALAR_KINDS.has(t.kind) || (t.kind === 'optional' && SCALAR_KINDS.has(t.value.kind))) return fixed(1);
    if (e.exprKind.case === 'identExpr') return this.local(e.exprKind.value.name)?.size;
    return undefined;
  }

  private entrySize(e: Expr): EntrySize | undefined {
    const known = this.entries.get(e.id);
    if (known) return known;
    if (e.exprKind.case === 'identExpr') return this.local(e.exprKind.value.name)?.entry;
    return undefined;
  }

  private node(e: Expr): Node {
    let path = this.path(e);
    if (path.length && ACCUMULATORS.has(path[0])) path = [];
    return { expr: e, path, type: this.type(e), size: this.computeSize(e) };
  }

  /** A node's size as cel-go reads it: what the expression tells, else unknown. */
  private sizeOf(n: Node): Range {
    return n.size ?? UNKNOWN;
  }

  /** A node's size as the Kubernetes library reads it: what the expression tells, the schema's bound, else unknown. */
  private k8sSize(n: Node): Range {
    return n.size ?? this.estimateSize(n.path) ?? UNKNOWN;
  }

  cost(e: Expr | undefined): Range {
    if (!e) return fixed(0);
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr':
        return fixed(0);
      case 'identExpr': {
        const v = this.local(k.value.name);
        this.paths.set(e.id, v ? v.path : [k.value.name]);
        return fixed(SELECT_AND_IDENT);
      }
      case 'selectExpr': {
        const operand = k.value.operand;
        if (!operand) return fixed(0);
        // has() costs nothing beyond its operand, as Kubernetes configures the estimator
        if (k.value.testOnly) return this.cost(operand);
        let sum = this.cost(operand);
        const kind = this.type(operand).kind;
        if (kind === 'object' || kind === 'map') sum = add(sum, fixed(SELECT_AND_IDENT));
        this.paths.set(e.id, [...this.path(operand), k.value.field]);
        return sum;
      }
      case 'callExpr':
        return this.call(e, k.value.function, k.value.target, k.value.args);
      case 'listExpr': {
        let sum = fixed(0);
        let item: Range = k.value.elements.length ? { min: MAX, max: 0 } : fixed(0);
        for (const el of k.value.elements) {
          sum = add(sum, this.cost(el));
          item = union(item, this.computeSize(el) ?? UNKNOWN);
        }
        this.entries.set(e.id, { container: 'list', key: fixed(1), val: item });
        return add(sum, fixed(LIST_CREATE));
      }
      case 'structExpr': {
        let sum = fixed(0);
        const isMap = !k.value.messageName;
        let key: Range = k.value.entries.length ? { min: MAX, max: 0 } : fixed(0);
        let val: Range = key;
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') {
            sum = add(sum, this.cost(entry.keyKind.value));
            key = union(key, this.computeSize(entry.keyKind.value) ?? UNKNOWN);
          }
          if (entry.value) {
            sum = add(sum, this.cost(entry.value));
            val = union(val, this.computeSize(entry.value) ?? UNKNOWN);
          }
        }
        if (!isMap) return add(sum, fixed(STRUCT_CREATE));
        this.entries.set(e.id, { container: 'map', key, val });
        return add(sum, fixed(MAP_CREATE));
      }
      case 'comprehensionExpr':
        return this.comprehension(e);
      default:
        return fixed(0);
    }
  }

  private comprehension(e: Expr): Range {
    if (e.exprKind.case !== 'comprehensionExpr') return fixed(0);
    const c = e.exprKind.value;
    const { iterRange: range, accuInit: init } = c;
    if (!range || !init) return fixed(0);
    let sum = add(this.cost(range), this.cost(init));
    this.push(c.accuVar, { path: this.path(init), size: this.computeSize(init), entry: this.entrySize(init) });
    const entry = this.entrySize(range);
    const container = entry?.container ?? this.type(range).kind;
    const rangePath = this.path(range);
    if (c.iterVar2) {
      const isList = container === 'list';
      this.push(c.iterVar, { path: [...rangePath, isList ? '@indices' : '@keys'], size: entry?.key });
      this.push(c.iterVar2, { path: [...rangePath, isList ? '@items' : '@values'], size: entry?.val });
    } else if (container === 'list') {
      this.push(c.iterVar, { path: [...rangePath, '@items'], size: entry?.val });
    } else {
      this.push(c.iterVar, { path: [...rangePath, '@keys'], size: entry?.key });
    }
    const loop = c.loopCondition ? this.cost(c.loopCondition) : fixed(0);
    const step = c.loopStep ? this.cost(c.loopStep) : fixed(0);
    this.pop(c.iterVar);
    if (c.iterVar2) this.pop(c.iterVar2);
    if (c.result) sum = add(sum, this.cost(c.result));
    this.pop(c.accuVar);
    const count = this.computeSize(range) ?? UNKNOWN;
    sum = add(sum, mul(count, add(step, loop)));
    const initKind = init.exprKind.case;
    if (initKind === 'constExpr') {
      const size = this.computeSize(init);
      if (size) this.sizes.set(e.id, size);
    } else if (initKind === 'listExpr' || initKind === 'structExpr') {
      this.sizes.set(e.id, count);
      const stepEntry = c.loopStep && this.entrySize(c.loopStep);
      if (stepEntry) this.entries.set(e.id, stepEntry);
    }
    return sum;
  }

  private call(e: Expr, fn: string, target: Expr | undefined, args: Expr[]): Range {
    if (target?.exprKind.case === 'identExpr' && !this.local(target.exprKind.value.name)) {
      const qualified = `${target.exprKind.value.name}.${fn}`;
      if (QUALIFIED.has(qualified) || (target.exprKind.value.name === 'format' && args.length === 0)) {
        return this.call(e, qualified, undefined, args);
      }
    }
    if (fn === 'dyn' && args.length === 1) {
      const argCost = this.cost(args[0]);
      const size = this.computeSize(args[0]);
      if (size) this.sizes.set(e.id, size);
      const entry = this.entrySize(args[0]);
      if (entry) this.entries.set(e.id, entry);
      return add(fixed(1), argCost);
    }
    const argCosts: Range[] = [];
    const argNodes: Node[] = [];
    for (const a of args) {
      argCosts.push(this.cost(a));
      argNodes.push(this.node(a));
    }
    let sum = fixed(0);
    let targetNode: Node | undefined;
    if (target) {
      sum = add(sum, this.cost(target));
      targetNode = this.node(target);
    }
    if (OPAQUE_RESULTS.has(fn) || fn.startsWith('format.')) this.opaque.add(e.id);
    let fnCost: Range = { min: MAX, max: 0 };
    let resultSize: Range | undefined;
    for (const overload of this.overloads(fn, targetNode, argNodes)) {
      const est = this.functionCost(e, fn, overload, targetNode, argNodes, argCosts);
      fnCost = union(fnCost, est.cost);
      if (est.resultSize) resultSize = resultSize ? union(resultSize, est.resultSize) : est.resultSize;
      if (overload === 'index_list' || overload === 'index_map') {
        resultSize = this.entrySize(args[0])?.val;
        this.paths.set(e.id, [...this.path(args[0]), overload === 'index_list' ? '@items' : '@values']);
      }
      resultSize ??= this.computeSize(e);
    }
    if (resultSize) this.sizes.set(e.id, resultSize);
    return add(sum, fnCost);
  }

  /** The overloads a call may resolve to, as far as their costs differ. */
  private overloads(fn: string, target: Node | undefined, args: Node[]): string[] {
    const kinds = args.map((a) => a.type.kind);
    const [l, r] = kinds;
    const either = (k: string) => l === k || r === k;
    switch (fn) {
      case '_+_': {
        if (either('string')) return ['add_string'];
        if (either('bytes')) return ['add_bytes'];
        if (either('list')) return ['add_list'];
        if (l === 'dyn' && r === 'dyn') return ['o1', 'add_string', 'add_bytes', 'add_list'];
        return ['o1'];
      }
      case '_==_':
      case '_!=_':
        return ['equals'];
      case '_[_]':
        // an index into an optional is the optional library's overload, of the default cost
        if (l === 'optional') return ['o1'];
        if (l === 'list') return ['index_list'];
        if (l === 'map' || l === 'object') return ['index_map'];
        return ['index_list', 'index_map'];
      case '@in':
        if (r === 'list') return ['in_list'];
        if (r === 'map') return ['o1'];
        return ['in_list', 'o1'];
      case '_&&_':
      case '_||_':
        return ['logical'];
      case '_?_:_':
        return ['conditional'];
    }
    if (ORDERING.has(fn)) {
      if (either('string') || either('bytes')) return ['less_string'];
      if (l === 'dyn' && r === 'dyn') return ['o1', 'less_string'];
      if (NUMERIC_KINDS.has(l) || NUMERIC_KINDS.has(r)) return ['o1'];
      return ['o1', 'less_string'];
    }
    if (target) {
      const t = target.type.kind;
      const onString = t === 'string' || t === 'dyn';
      if (fn === 'matches' && args.length === 1 && onString) return ['matches_string'];
      if (fn === 'contains' && args.length === 1 && onString) return ['contains_string'];
      if ((fn === 'startsWith' || fn === 'endsWith') && args.length === 1) return ['starts_with'];
      if (fn === 'format' && t === 'string') return ['ext_format'];
    } else {
      if (fn === 'bytes' && l === 'string') return ['string_to_bytes'];
      if (fn === 'string' && l === 'bytes') return ['bytes_to_string'];
      if (fn === 'strings.quote') return ['ext_quote'];
      if (fn === 'sets.contains' || fn === 'sets.intersects') return ['sets_1'];
      if (fn === 'sets.equivalent') return ['sets_2'];
    }
    return ['o1'];
  }

  private functionCost(e: Expr, fn: string, overload: string, target: Node | undefined, args: Node[], argCosts: Range[]): CallEstimate {
    const argSum = argCosts.reduce(add, fixed(0));
    if (overload === 'sets_1' || overload === 'sets_2') {
      const size = mul(this.k8sSize(args[0]), this.k8sSize(args[1]));
      return { cost: add(add(byFactor(size, overload === 'sets_1' ? 1 : 2), fixed(1)), argSum) };
    }
    const k8s = this.kubernetesCost(fn, target, args);
    if (k8s) return { cost: add(k8s.cost, argSum), resultSize: k8s.resultSize };
    switch (overload) {
      case 'ext_format':
        return { cost: add(byFactor(this.sizeOf(target!), STRING_TRAVERSAL), argSum) };
      case 'string_to_bytes': {
        const sz = this.sizeOf(args[0]);
        return { cost: add(byFactor(sz, STRING_TRAVERSAL), argSum), resultSize: { min: sz.min, max: mulU(sz.max, 4) } };
      }
      case 'bytes_to_string': {
        const sz = this.sizeOf(args[0]);
        return { cost: add(byFactor(sz, STRING_TRAVERSAL), argSum), resultSize: { min: Math.floor(sz.min / 4), max: sz.max } };
      }
      case 'ext_quote': {
        const sz = this.sizeOf(args[0]);
        return {
          cost: add(byFactor(sz, STRING_TRAVERSAL), argSum),
          resultSize: { min: addU(sz.min, 2), max: addU(mulU(sz.max, 2), 2) },
        };
      }
      case 'starts_with':
        return { cost: add(byFactor(this.sizeOf(args[0]), STRING_TRAVERSAL), argSum) };
      case 'in_list':
        return { cost: add(byFactor(this.sizeOf(args[1]), 1), argSum) };
      case 'matches_string': {
        const str = byFactor(add(this.sizeOf(target!), fixed(1)), STRING_TRAVERSAL);
        const regex = byFactor(this.sizeOf(args[0]), REGEX_LENGTH);
        return { cost: add(mul(str, regex), argSum) };
      }
      case 'contains_string': {
        const str = byFactor(this.sizeOf(target!), STRING_TRAVERSAL);
        const sub = byFactor(this.sizeOf(args[0]), STRING_TRAVERSAL);
        return { cost: add(mul(str, sub), argSum) };
      }
      case 'logical':
        return { cost: { min: argCosts[0].min, max: addU(argCosts[0].max, argCosts[1].max) } };
      case 'conditional': {
        const size = union(this.sizeOf(args[1]), this.sizeOf(args[2]));
        const entry = unionEntries(this.entrySize(args[1].expr), this.entrySize(args[2].expr));
        if (entry) this.entries.set(e.id, entry);
        return { cost: add(argCosts[0], union(argCosts[1], argCosts[2])), resultSize: size };
      }
      case 'add_string':
      case 'add_bytes':
      case 'add_list': {
        const size = add(this.sizeOf(args[0]), this.sizeOf(args[1]));
        const entry = unionEntries(this.entrySize(args[0].expr), this.entrySize(args[1].expr));
        if (entry) this.entries.set(e.id, entry);
        if (overload === 'add_list') return { cost: add(fixed(1), argSum), resultSize: size };
        return { cost: add(byFactor(size, STRING_TRAVERSAL), argSum), resultSize: size };
      }
      case 'less_string':
      case 'equals': {
        const smallest = Math.min(this.sizeOf(args[0]).max, this.sizeOf(args[1]).max);
        return { cost: add(byFactor({ min: smallest > 0 ? 1 : 0, max: smallest }, STRING_TRAVERSAL), argSum) };
      }
    }
    return { cost: add(fixed(1), argSum) };
  }

  /** The Kubernetes library's costs (k8s.io/apiserver/pkg/cel/library cost.go), where it has one. */
  private kubernetesCost(fn: string, target: Node | undefined, args: Node[]): CallEstimate | undefined {
    const size = (n: Node) => this.k8sSize(n);
    if (NOMINAL.has(fn)) return { cost: fixed(1) };
    switch (fn) {
      case 'isSorted':
      case 'sum':
      case 'max':
      case 'min':
      case 'indexOf':
      case 'lastIndexOf': {
        if (!target) return undefined;
        if (target.type.kind === 'list') {
          let each = fixed(1);
          const elem = target.type.elem;
          if (elem.kind === 'string' || elem.kind === 'bytes') {
            const elemSize = target.path.length ? this.estimateSize([...target.path, '@items']) : undefined;
            each = add(each, byFactor(elemSize ?? UNKNOWN, STRING_TRAVERSAL));
          }
          return { cost: mul(size(target), each) };
        }
        return { cost: byFactor(size(target), STRING_TRAVERSAL) };
      }
      case 'url':
        if (args.length !== 1) return undefined;
        return { cost: byFactor(size(args[0]), STRING_TRAVERSAL), resultSize: size(args[0]) };
      case 'lowerAscii':
      case 'upperAscii':
      case 'substring':
      case 'trim':
        if (!target) return undefined;
        return { cost: byFactor(size(target), STRING_TRAVERSAL), resultSize: size(target) };
      case 'replace':
        if (!target || args.length < 2) return undefined;
        return this.replaceCost(size(target), size(args[0]), size(args[1]));
      case 'split': {
        if (!target) return undefined;
        const sz = size(target);
        let max = sz.max;
        const limit = args[1]?.expr.exprKind;
        if (limit?.case === 'constExpr' && limit.value.constantKind.case === 'int64Value') max = Number(limit.value.constantKind.value);
        return { cost: byFactor(sz, 2 * STRING_TRAVERSAL), resultSize: { min: 0, max } };
      }
      case 'join': {
        if (!target) return undefined;
        const listSize = size(target);
        let sz = fixed(0);
        if (target.type.kind === 'list') {
          const elemSize = target.path.length ? this.estimateSize([...target.path, '@items']) : undefined;
          sz = mul(listSize, elemSize ?? UNKNOWN);
        }
        if (args.length) {
          const separators = { min: listSize.min > 0 ? listSize.min - 1 : 0, max: listSize.max > 0 ? listSize.max - 1 : 0 };
          sz = add(sz, mul(size(args[0]), separators));
        }
        return { cost: byFactor(sz, STRING_TRAVERSAL), resultSize: sz };
      }
      case 'find':
      case 'findAll': {
        if (!target || !args.length) return undefined;
        const sz = size(target);
        const str = byFactor(add(sz, fixed(1)), STRING_TRAVERSAL);
        const regex = byFactor(size(args[0]), REGEX_LENGTH);
        return { cost: mul(str, regex), resultSize: { min: 0, max: sz.max } };
      }
      case 'cidr':
      case 'isIP':
      case 'isCIDR':
      case 'quantity':
      case 'isQuantity':
      case 'semver':
      case 'isSemver':
        if (!target) return undefined;
        return { cost: byFactor(size(args[0]), STRING_TRAVERSAL) };
      case 'ip':
        if (target && args.length) return { cost: byFactor(size(args[0]), STRING_TRAVERSAL) };
        return target ? { cost: fixed(1) } : undefined;
      case 'containsIP':
      case 'containsCIDR': {
        if (!target || !args.length) return undefined;
        const ipBytes = { min: 4, max: 16 };
        let cost = byFactor(add(ipBytes, ipBytes), STRING_TRAVERSAL);
        if (fn === 'containsCIDR') cost = add(add(cost, byFactor(ipBytes, STRING_TRAVERSAL)), fixed(1));
        if (args[0].type.kind === 'string') cost = add(cost, byFactor(size(args[0]), STRING_TRAVERSAL));
        return { cost };
      }
      case 'validate':
        if (!target || !args.length) return undefined;
        return { cost: byFactor(byFactor(size(args[0]), STRING_TRAVERSAL), MAX_NAME_FORMAT_REGEX * REGEX_LENGTH) };
      case '_==_':
        if (args.length === 2 && this.opaque.has(args[0].expr.id) && this.opaque.has(args[1].expr.id)) return { cost: fixed(1) };
        return undefined;
    }
    return undefined;
  }

  /** replace(): the traversal twice, and a result as long as the most (fewest) replacements can make it. */
  private replaceCost(sz: Range, from: Range, to: Range): CallEstimate {
    const count = { min: 0, max: 0 };
    const retained = { min: 0, max: 0 };
    if (from.min === 0) {
      count.max = sz.max < MAX ? sz.max + 1 : sz.max;
      retained.max = sz.max;
    } else if (to.max <= from.min) {
      retained.max = sz.max;
    } else {
      count.max = Math.ceil(sz.max / from.min);
    }
    if (from.max === 0) {
      count.min = sz.min < MAX ? sz.min + 1 : sz.min;
      retained.min = sz.min;
    } else if (from.max <= to.min) {
      retained.min = sz.min;
    } else {
      count.min = Math.ceil(sz.min / from.max);
    }
    return { cost: byFactor(sz, 2 * STRING_TRAVERSAL), resultSize: add(mul(count, to), retained) };
  }
}

/** The size of a literal: a string's characters, a bytes' length, 1 for a scalar, a list's or map's entries. */
function literalSize(e: Expr): Range | undefined {
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr': {
      const c = k.value.constantKind;
      if (c.case === 'stringValue') return fixed([...c.value].length);
      if (c.case === 'bytesValue') return fixed(c.value.length);
      return c.case === undefined ? undefined : fixed(1);
    }
    case 'listExpr':
      return fixed(k.value.elements.length);
    case 'structExpr':
      return k.value.messageName ? undefined : fixed(k.value.entries.length);
    default:
      return undefined;
  }
}

/**
 * The estimated cost of `expr` (its range; upstream keeps the max), with `types` each node's type
 * from the checker and `self` the size bounds of the rule's schema node.
 */
export function estimateCost(expr: Expr, types: ReadonlyMap<bigint, CelSchemaType>, self: DeclSize | undefined): Range {
  return new Estimator(types, self).cost(expr);
}
