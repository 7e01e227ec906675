/**
 * An apiVersion read as schema.ParseGroupVersion reads it: "" is empty, "v1" is the core group's
 * version, "group/version" names both; anything with more slashes does not parse (empty both).
 */
function partsOf(apiVersion: string): [group: string, version: string] {
  if (apiVersion === '') return ['', ''];
  const parts = apiVersion.split('/');
  if (parts.length === 1) return ['', parts[0]];
  if (parts.length === 2) return [parts[0], parts[1]];
  return ['', ''];
}

/** The group of an apiVersion: '' for the core group (`v1`) and for what does not parse. */
export function groupOfApiVersion(apiVersion: string): string {
  return partsOf(apiVersion)[0];
}

/** The version of an apiVersion: '' when it is empty or does not parse. */
export function versionOfApiVersion(apiVersion: string): string {
  return partsOf(apiVersion)[1];
}
