// What the buttons do: node and pod chaos and new nodes through the control API (/kubemock/v1),
// cordon and pod deletion through the Kubernetes API, as kubectl does them. Every call rejects
// with the Status message the server answered.

import { withCredentials } from './credentials.js';

const CONTROL = '/kubemock/v1';

async function send(method, path, body, contentType = 'application/json') {
  const res = await fetch(path, {
    method,
    headers: withCredentials({ 'content-type': contentType, accept: 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let value;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    value = { message: text };
  }
  if (!res.ok) throw new Error(value.message ?? `${method} ${path}: ${res.status}`);
  return value;
}

/** node-not-ready, node-unreachable, node-gone, node-ready; pod-crash, pod-fail, pod-never-ready, pod-ignore-sigterm, pod-recover. */
export const chaos = (request) => send('POST', `${CONTROL}/chaos`, request);

export const addNodes = (count) => send('POST', `${CONTROL}/nodes`, { count });

/** `kubectl cordon` / `uncordon`: a strategic merge patch of spec.unschedulable. */
export const setCordoned = (node, cordoned) =>
  send(
    'PATCH',
    `/api/v1/nodes/${encodeURIComponent(node)}?fieldManager=kubemock-dashboard`,
    { spec: { unschedulable: cordoned ? true : null } },
    'application/strategic-merge-patch+json',
  );

export const deletePod = (namespace, name) =>
  send('DELETE', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`);
