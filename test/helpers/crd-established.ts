/** Installing a CustomResourceDefinition through the API and waiting for the CRD controller to serve it. */
import type { TestApp } from './build-app.js';
import { waitFor } from './eventually.js';

export const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

type Condition = { type: string; status: string };

/** Waits until the CRD `name` has Established=True (its resource is then served); returns the CRD as read then. */
export async function waitEstablished(app: Pick<TestApp, 'http'>, name: string): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const res = await app.http.get(`${CRDS}/${name}`).expect(200);
    const conditions = (res.body.status?.conditions ?? []) as Condition[];
    return conditions.some((c) => c.type === 'Established' && c.status === 'True') && (res.body as Record<string, unknown>);
  });
}

/** Creates `crd` (201) and waits until it is Established; returns the CRD as read then. */
export async function established(app: Pick<TestApp, 'http'>, crd: object): Promise<Record<string, unknown>> {
  const created = await app.http.post(CRDS).send(crd).expect(201);
  return waitEstablished(app, (created.body as { metadata: { name: string } }).metadata.name);
}
