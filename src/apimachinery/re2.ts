/**
 * Regular expressions as Kubernetes runs them: Go's regexp package, RE2 syntax and semantics, in
 * time linear in the input whatever the pattern (re2js, a port of RE2). A CRD schema's `pattern`
 * and the CEL regex library's find/findAll go through here: an ECMAScript RegExp would backtrack
 * (`^(a+)+$` against thirty a's and a `!` takes seconds) and reads some patterns differently.
 */
import { RE2JS } from 're2js';

/** Patterns compiled so far, by text, before the table starts afresh (CRDs and rules hold few). */
const MAX_PATTERNS = 1000;
const compiled = new Map<string, RE2JS | Error>();

/** The compiled pattern; a pattern RE2 refuses throws Go's error (`error parsing regexp: missing closing ): …`). */
export function compileRegexp(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      re = new Error((e as Error).message);
    }
    if (compiled.size >= MAX_PATTERNS) compiled.clear();
    compiled.set(pattern, re);
  }
  if (re instanceof Error) throw re;
  return re;
}

/** regexp.MatchString: whether the pattern matches somewhere in `s`. */
export function regexpMatches(pattern: string, s: string): boolean {
  return compileRegexp(pattern).matcher(s).find();
}

/**
 * regexp.FindAllString(s, n): successive non-overlapping matches, leftmost first; an empty match
 * right after the previous match is skipped, as Go skips it. `n` < 0: all of them.
 */
export function regexpFindAll(pattern: string, s: string, n = -1): string[] {
  const m = compileRegexp(pattern).matcher(s);
  const out: string[] = [];
  let previousEnd = -1;
  while ((n < 0 || out.length < n) && m.find()) {
    if (m.start() === m.end() && m.start() === previousEnd) continue;
    out.push(m.group() ?? '');
    previousEnd = m.end();
  }
  return out;
}
