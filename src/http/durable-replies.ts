/**
 * Group commit's other half: storage may answer a write before it is durable (the writes of one
 * turn share one transaction), so every reply waits until what was committed so far is durable.
 * A reply never announces a write, nor shows data read from the open transaction, that a crash
 * could still lose. Watch responses (hijacked, no hooks) wait in watch-stream.ts.
 *
 * `notePayload` sees every reply body first (the request journal notes its resourceVersion): one
 * onSend hook for both, as each hook Fastify runs per reply costs every request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StorageBackend } from '../storage/storage-backend.js';

export function registerDurableReplies(
  fastify: FastifyInstance,
  storage: Pick<StorageBackend, 'whenDurable' | 'isDurable'>,
  notePayload?: (request: FastifyRequest, payload: unknown) => void,
): void {
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    notePayload?.(request, payload);
    // Reads after a turn's group committed (most of them) go out at once: no promise, no microtask.
    if (storage.isDurable?.()) return done(null, payload);
    storage.whenDurable().then(
      () => done(null, payload),
      (e: unknown) => done(e as Error),
    );
  });
}
