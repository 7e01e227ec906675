/** A kubemock on an in-memory database for API tests, closed when the test ends. */
import type { TestContext } from 'node:test';
import supertest from 'supertest';
import { buildApp, type AppOptions, type Kubemock } from '../../src/app.js';

export interface TestApp {
  kubemock: Kubemock;
  http: ReturnType<typeof supertest>;
}

export async function buildTestApp(t: Pick<TestContext, 'after'> | undefined, opts: Partial<AppOptions> = {}): Promise<TestApp> {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false, ...opts });
  await kubemock.fastify.ready();
  t?.after(() => kubemock.close());
  return { kubemock, http: supertest(kubemock.fastify.server) };
}
