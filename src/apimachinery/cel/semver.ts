/**
 * Semantic versions for the Kubernetes CEL semver library (k8s.io/apiserver/pkg/cel/library/
 * semverlib.go): strict MAJOR.MINOR.PATCH[-pre][+build] as blang/semver parses it, or with
 * `normalize` a leading "v", missing minor or patch and leading zeros allowed; ordered by
 * semver precedence (numbers, then pre-releases, numeric identifiers below alphanumeric ones).
 */
export interface Semver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
  text: string;
}

const STRICT =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A version with its "v" prefix dropped, missing parts added and leading zeros removed. */
function normalized(s: string): string {
  const v = s.startsWith('v') ? s.slice(1) : s;
  const m = /^([0-9.]+)(.*)$/.exec(v);
  if (!m) return v;
  const parts = m[1].split('.');
  if (parts.length > 3 || parts.some((p) => p === '')) return v;
  while (parts.length < 3) parts.push('0');
  return `${parts.map((p) => p.replace(/^0+(?=\d)/, '')).join('.')}${m[2]}`;
}

export function parseSemver(s: string, normalize = false): Semver | undefined {
  const text = normalize ? normalized(s) : s;
  const m = STRICT.exec(text);
  if (!m) return undefined;
  const pre = m[4] ? m[4].split('.') : [];
  if (pre.some((p) => /^0\d+$/.test(p))) return undefined;
  return { major: BigInt(m[1]), minor: BigInt(m[2]), patch: BigInt(m[3]), pre, text };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(BigInt(a) - BigInt(b)));
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSemvers(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = compareIdentifiers(a.pre[i], b.pre[i]);
    if (c) return c;
  }
  return Math.sign(a.pre.length - b.pre.length);
}
