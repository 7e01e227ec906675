/**
 * The overlapping-path warnings of pkg/api/pod's warningsForPodSpecAndMeta on 1.33 (its
 * warningsForOverlappingVirtualPaths), which follow the deprecated-volume ones. The files a volume
 * writes clash when two paths are equal or one is a directory above the other, compared whole
 * segments at a time after trailing slashes are dropped ("a" and "a/b" clash, "a" and "ab" do not).
 *
 * - A configMap, secret or downwardAPI volume with an items list: each item against the earlier
 *   items, `volume "v" (ConfigMap "cm"): overlapping paths: "a/b" with "a"` (Secret "name", or
 *   DownwardAPI), once for each earlier item it clashes with.
 * - A projected volume: each path of each source against every path of the earlier sources and
 *   its own earlier ones, `volume "v" (Projected): overlapping paths: "a/b" (Secret "s") with "a"
 *   (ConfigMap "cm")`, the sources named ConfigMap "name", Secret "name", DownwardAPI,
 *   ServiceAccountToken, ClusterTrustBundle "name or signerName". A source with nothing set is
 *   `volume "v" (Projected) has no sources provided`.
 *
 * The texts carry the volume's name, not a field path, so a pod template's are the same as a pod's.
 * Kept as 1.33.0 has it: a projected configMap, secret or downwardAPI source without an items list
 * brings no paths of its own, so the previous source's paths are checked once more (and so clash
 * with themselves).
 */
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, objList, str } from '../../apimachinery/json-fields.js';
import { goQuote } from '../../apimachinery/go-quote.js';

interface SourcedPath {
  path: string;
  /** How the projected source is named in the text ('' in a volume of one source), made only for a warning. */
  source: () => string;
}

const UNNAMED = (): string => '';

/** Whether a projected source sets any of its kinds. */
const hasProjection = (p: Obj): boolean =>
  p.configMap != null || p.secret != null || p.downwardAPI != null || p.serviceAccountToken != null || p.clusterTrustBundle != null;

function describe(p: SourcedPath): string {
  const source = p.source();
  return source === '' ? goQuote(p.path) : `${goQuote(p.path)} (${source})`;
}
const withoutTrailingSlashes = (p: SourcedPath): SourcedPath =>
  p.path.endsWith('/') ? { path: p.path.replace(/\/+$/, ''), source: p.source } : p;

/** The earlier paths `next` clashes with, in their order; an empty path clashes with nothing. */
function clashes(earlier: readonly SourcedPath[], next: SourcedPath): SourcedPath[] {
  if (next.path === '') return [];
  const nextDir = `${next.path}/`;
  return earlier.filter((p) => p.path !== '' && (`${p.path}/`.startsWith(nextDir) || nextDir.startsWith(`${p.path}/`)));
}

/** Appends `${prefix()}: ${next} with ${earlier}` for each clash, each path after the earlier ones. */
function checkPaths(paths: readonly SourcedPath[], seen: SourcedPath[], prefix: () => string, warnings: string[]): void {
  for (const raw of paths) {
    const next = withoutTrailingSlashes(raw);
    for (const earlier of clashes(seen, next)) warnings.push(`${prefix()}: ${describe(next)} with ${describe(earlier)}`);
    seen.push(next);
  }
}

/** The item paths of a source, or undefined when it has no items list (null or absent). */
function itemPaths(holder: Obj | undefined, source: () => string): SourcedPath[] | undefined {
  if (!holder || !Array.isArray(holder.items)) return undefined;
  return objList(holder.items).map((item) => ({ path: str(item.path), source }));
}

/** A ClusterTrustBundle source is named by its name when that is set (even empty), else its signer. */
const bundleSource = (bundle: Obj) => (): string =>
  `ClusterTrustBundle ${goQuote(typeof bundle.name === 'string' ? bundle.name : str(bundle.signerName))}`;

/** The paths one projected source writes; undefined for a source that names none of its own. */
function projectionPaths(projection: Obj): SourcedPath[] | undefined {
  const configMap = asObj(projection.configMap);
  const secret = asObj(projection.secret);
  const token = asObj(projection.serviceAccountToken);
  const bundle = asObj(projection.clusterTrustBundle);
  return (
    itemPaths(configMap, () => `ConfigMap ${goQuote(str(configMap?.name))}`) ??
    itemPaths(secret, () => `Secret ${goQuote(str(secret?.name))}`) ??
    itemPaths(asObj(projection.downwardAPI), () => 'DownwardAPI') ??
    (token ? [{ path: str(token.path), source: () => 'ServiceAccountToken' }] : undefined) ??
    (bundle ? [{ path: str(bundle.path), source: bundleSource(bundle) }] : undefined)
  );
}

function projectedWarnings(name: string, projected: Obj, warnings: string[]): void {
  const seen: SourcedPath[] = [];
  let paths: SourcedPath[] = [];
  const prefix = () => `volume ${goQuote(name)} (Projected): overlapping paths`;
  for (const projection of objList(projected.sources)) {
    if (!hasProjection(projection)) {
      warnings.push(`volume ${goQuote(name)} (Projected) has no sources provided`);
      continue;
    }
    paths = projectionPaths(projection) ?? paths;
    checkPaths(paths, seen, prefix, warnings);
  }
}

/** The overlapping-path warnings of every volume, in volume order. */
export function volumePathWarnings(spec: Obj, warnings: string[]): void {
  for (const volume of objList(spec.volumes)) {
    const name = str(volume.name);
    const single = (holder: Obj | undefined, what: () => string): void => {
      const paths = itemPaths(holder, UNNAMED);
      if (paths) checkPaths(paths, [], () => `volume ${goQuote(name)} (${what()}): overlapping paths`, warnings);
    };
    const configMap = asObj(volume.configMap);
    single(configMap, () => `ConfigMap ${goQuote(str(configMap?.name))}`);
    const secret = asObj(volume.secret);
    single(secret, () => `Secret ${goQuote(str(secret?.secretName))}`);
    single(asObj(volume.downwardAPI), () => 'DownwardAPI');
    const projected = asObj(volume.projected);
    if (projected) projectedWarnings(name, projected, warnings);
  }
}
