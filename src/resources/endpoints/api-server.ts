/** The one Endpoints/EndpointSlice name kube-apiserver writes itself: `default/kubernetes`, for the API server's own address. */
export const API_SERVER_ENDPOINTS = { namespace: 'default', name: 'kubernetes' } as const;

export function isApiServerEndpoints(meta: { namespace?: string; name?: string }): boolean {
  return meta.namespace === API_SERVER_ENDPOINTS.namespace && meta.name === API_SERVER_ENDPOINTS.name;
}
