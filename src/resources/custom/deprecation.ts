/**
 * The warning a deprecated version of a custom resource answers every request with: its own
 * `deprecationWarning`, else apiextensions-apiserver's default, which names the version to move
 * to, the highest-priority served version that is not deprecated and ranks above this one.
 */
import { compareKubeVersions } from '../../apimachinery/group-version.js';
import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from '../customresourcedefinitions/schema.js';

export function deprecationWarning(crd: CustomResourceDefinition, v: CustomResourceDefinitionVersion): string | undefined {
  if (!v.deprecated) return undefined;
  if (v.deprecationWarning !== undefined && v.deprecationWarning !== null) return v.deprecationWarning;
  const { group, names } = crd.spec;
  const text = `${group}/${v.name} ${names.kind} is deprecated`;
  // compareKubeVersions sorts by priority, highest first: negative when the first ranks above.
  const newer = (crd.spec.versions ?? [])
    .filter((o) => o.served && !o.deprecated && compareKubeVersions(o.name, v.name) < 0)
    .map((o) => o.name)
    .sort(compareKubeVersions);
  return newer.length ? `${text}; use ${group}/${newer[0]} ${names.kind}` : text;
}
