/**
 * A run-time error of a rule in cel-go's words (v0.23, Kubernetes 1.33), where @bufbuild/cel words
 * it differently: the one place that maps one to the other. cel-go's texts: a missing map key or
 * object field "no such key: k" and a list index outside the list "index out of bounds: i"
 * (interpreter/attributes.go), "division by zero", "modulus by zero", "integer overflow",
 * "unsigned integer overflow" (also for durations, whose arithmetic is int64's) and "timestamp
 * overflow" (common/types/err.go, overflow.go),
 * a call whose arguments match none of its overloads "no such overload: f(string, int)"
 * (common/decls MaybeNoSuchOverload, the receiver first for a method) except for the standard
 * operators with one binding (singletonOverloadError), a non-bool where `&&`, `||`
 * or `?:` needs one "no such overload" (types.MaybeNoSuchOverloadErr) and a comprehension over a
 * value that is not iterable "got 'types.String', expected iterable type" (interpreter/interpretable.go).
 * @bufbuild/cel reports a missing int key of a map as an index out of bounds, naming the indexed
 * expression: where it is checked as a map, it is "no such key" (index-chains.ts makes a nested
 * index name its own container where the checker knows it, not the root of `m[1][2]`).
 */

/** The Go type (common/types) of a value of each CEL type, as %T prints it. */
const GO_TYPES: Record<string, string> = {
  int: 'types.Int',
  uint: 'types.Uint',
  double: 'types.Double',
  string: 'types.String',
  bool: 'types.Bool',
  bytes: 'types.Bytes',
  null_type: 'types.Null',
  'google.protobuf.Timestamp': 'types.Timestamp',
  'google.protobuf.Duration': 'types.Duration',
  type: '*types.Type',
};

/**
 * The operand trait each operator of cel-go's standard library needs of its first operand: these
 * functions have one binding for all their overloads (common/stdlib SingletonBinaryBinding and
 * SingletonUnaryBinding), so a dyn operand of the wrong type never reaches decls'
 * MaybeNoSuchOverload and its detailed "no such overload: f(bool, int)".
 */
const OPERAND_TRAIT: Record<string, string> = {
  '_+_': 'adder',
  '_-_': 'subtractor',
  '_*_': 'multiplier',
  '_/_': 'divider',
  '_%_': 'modder',
  '_<_': 'comparer',
  '_<=_': 'comparer',
  '_>_': 'comparer',
  '_>=_': 'comparer',
  '-_': 'negater',
  size: 'sizer',
  matches: 'matcher',
};

/** The string functions bound without type guards. */
const UNGUARDED = new Set(['contains', 'endsWith', 'startsWith']);

/** Each run-time type's traits (common/types types.go traitMask); `receiver` where it has ReceiverType. */
const TRAITS: Record<string, string[]> = {
  bool: ['comparer', 'negater'],
  bytes: ['adder', 'comparer', 'sizer'],
  double: ['adder', 'comparer', 'divider', 'multiplier', 'negater', 'subtractor'],
  int: ['adder', 'comparer', 'divider', 'modder', 'multiplier', 'negater', 'subtractor'],
  uint: ['adder', 'comparer', 'divider', 'modder', 'multiplier', 'subtractor'],
  string: ['adder', 'comparer', 'matcher', 'receiver', 'sizer'],
  'google.protobuf.Duration': ['adder', 'comparer', 'negater', 'receiver', 'subtractor'],
  'google.protobuf.Timestamp': ['adder', 'comparer', 'receiver', 'subtractor'],
  list: ['adder', 'sizer'],
  map: ['sizer'],
};

/**
 * cel-go's error for a standard operator whose dyn operands match none of its overloads, as its
 * evalBinary / evalUnary (interpreter/interpretable.go) produce it: a first operand with the
 * operator's trait (or a receiver) rejects the other operand, or itself for `-bool`, with a bare
 * "no such overload" (types.MaybeNoSuchOverloadErr, or the receiver's NoSuchOverloadErr); one with
 * neither gives "no such overload: <function>". `!` of a non-bool is a bare "no such overload"
 * too (its binding's MaybeNoSuchOverloadErr), and so is a call of contains, endsWith or
 * startsWith, whose one overload runs without type guards (decls.DisableTypeGuards) and refuses a
 * non-string itself (types.StringContains and the like). Undefined for any other function.
 */
function singletonOverloadError(fn: string, first: string): string | undefined {
  if (fn === '!_' || UNGUARDED.has(fn)) return 'no such overload';
  const trait = OPERAND_TRAIT[fn];
  if (!trait) return undefined;
  const traits = TRAITS[first] ?? [];
  return traits.includes(trait) || traits.includes('receiver') ? 'no such overload' : `no such overload: ${fn}`;
}

/** cel-go's error for a comprehension over a value of the CEL type `typeName`, which is not a list or map. */
export const notIterable = (typeName: string): string => `got '${GO_TYPES[typeName] ?? typeName}', expected iterable type`;

const RULES: [RegExp, (m: RegExpExecArray, container: string | undefined) => string][] = [
  [/^field not found: (.*)$/s, (m) => `no such key: ${m[1]}`],
  // @bufbuild/cel words a missing int key of a map as an index out of a list's bounds
  [
    /^index (-?[\d.e+]+) out of bounds \[0, -1\)$/,
    (m, container) => (container === 'map' ? `no such key: ${m[1]}` : `index out of bounds: ${m[1]}`),
  ],
  // the strings extension's (string-ext.ts words its own as cel-go)
  [/^index (-?\d+) out of bounds \[0, \d+\)$/, (m) => `index out of range: ${m[1]}`],
  [/^u?int divide by zero$/, () => 'division by zero'],
  [/^u?int modulus by zero$/, () => 'modulus by zero'],
  [/^int overflow\b/, () => 'integer overflow'],
  [/^uint overflow\b/, () => 'unsigned integer overflow'],
  [/^timestamp out of range$/, () => 'timestamp overflow'],
  // a duration beyond int64 nanoseconds: cel-go's checked int64 arithmetic fails first
  [/^duration out of range$/, () => 'integer overflow'],
  // the value of a field that upstream's reader refused (values.ts), raised where the rule reads it
  [/^Unsupported input Error: (.*)$/s, (m) => m[1]],
  [
    /^found no matching overload for '([^']+)' applied to '(?:(.+)\.)?\((.*)\)'$/s,
    (m) => {
      const args = [m[2], m[3]].filter((x) => x !== undefined && x !== '').join(', ');
      return singletonOverloadError(m[1], args.split(', ')[0]) ?? `no such overload: ${m[1]}(${args})`;
    },
  ],
  [/^found no matching overload for _\?_:_/, () => 'no such overload'],
  [/^type mismatch: expected bool/, () => 'no such overload'],
  [/^type mismatch: iterable vs (.*)$/, (m) => notIterable(m[1])],
];

/**
 * cel-go's text for the run-time error `message` of @bufbuild/cel (or of our own functions, already
 * cel-go's); `container`: the checked kind of the expression the error names (the indexed root).
 */
export function celGoErrorText(message: string, container?: string): string {
  for (const [pattern, text] of RULES) {
    const m = pattern.exec(message);
    if (m) return text(m, container);
  }
  return message;
}
