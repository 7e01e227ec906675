/**
 * The authorization attributes of any request (k8s.io/apiserver's RequestInfoFactory as authorizers
 * see it): a resource request where the path names a resource (request-info.ts), else a request on
 * the URL path with the lowercase HTTP method as verb (discovery, /version, /healthz, /openapi/…,
 * /metrics and kubemock's own /kubemock/… control API). A list or watch narrowed by
 * `fieldSelector=metadata.name=x` is a request on the object x; a namespace's namespace is itself.
 */
import { attributes, type Attributes } from '../../apimachinery/authorization.js';
import { firstValue, parseQueryBool } from '../../apimachinery/query-params.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import { parseRequestInfo } from '../request-info.js';

/** The name a single-object field selector picks (`metadata.name=x` or `metadata.name==x`), if that is all it says. */
function selectedName(fieldSelector: string | undefined): string | undefined {
  const m = /^metadata\.name==?([^,=!]*)$/.exec(fieldSelector ?? '');
  return m ? m[1] : undefined;
}

export function requestAttributes(method: string, url: string, user: UserInfo): Attributes {
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
  let info;
  try {
    info = parseRequestInfo(method, path, parseQueryBool(params.get('watch')));
  } catch {
    info = undefined; // a path that does not decode: not a resource (the route answers it)
  }
  if (!info) return attributes(user, method.toLowerCase(), { path });
  let name = info.name;
  if (!name && (info.verb === 'list' || info.verb === 'watch')) name = selectedName(firstValue(params.getAll('fieldSelector')));
  const namespace = info.resource === 'namespaces' && info.name ? info.name : info.namespace;
  return attributes(user, info.verb, {
    resourceRequest: true,
    namespace,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource,
    name,
    path,
  });
}
