/**
 * Fastify's default schema compilers (Ajv, fast-json-stringify) cost tens of milliseconds to load
 * when the first instance is built, and kubemock's routes declare no schemas. These factories
 * load them only if a route with a schema ever asks, which keeps a cold start short.
 */
import { createRequire } from 'node:module';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Factory = (...args: any[]) => any;

/** Loads a module as Fastify itself would resolve it (it is Fastify's dependency, not ours). */
function fromFastify(id: string): () => Factory {
  const require = createRequire(createRequire(import.meta.url).resolve('fastify'));
  return require(id) as () => Factory;
}

export function lazySchemaCompilers(): { buildValidator: Factory; buildSerializer: Factory } {
  let validator: Factory | undefined;
  let serializer: Factory | undefined;
  return {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- Fastify's own compiler's result, passed on as is
    buildValidator: (...args: unknown[]) => (validator ??= fromFastify('@fastify/ajv-compiler')())(...args),
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- Fastify's own compiler's result, passed on as is
    buildSerializer: (...args: unknown[]) => (serializer ??= fromFastify('@fastify/fast-json-stringify-compiler')())(...args),
  };
}
