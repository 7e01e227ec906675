/**
 * An apiVersion read as schema.ParseGroupVersion reads it: "" is empty, "v1" is the core group's
 * version, "group/version" names both; anything with more slashes does not parse (empty both).
 * Read on every change by several controllers: the slash is found, nothing is split.
 */
function slashOf(apiVersion: string): number {
  const i = apiVersion.indexOf('/');
  return i >= 0 && apiVersion.indexOf('/', i + 1) >= 0 ? -2 : i;
}

/** The group of an apiVersion: '' for the core group (`v1`) and for what does not parse. */
export function groupOfApiVersion(apiVersion: string): string {
  const i = slashOf(apiVersion);
  return i >= 0 ? apiVersion.slice(0, i) : '';
}

/** The version of an apiVersion: '' when it is empty or does not parse. */
export function versionOfApiVersion(apiVersion: string): string {
  const i = slashOf(apiVersion);
  return i === -1 ? apiVersion : i >= 0 ? apiVersion.slice(i + 1) : '';
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stability, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const [ra, rb] = [rank(a), rank(b)];
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
