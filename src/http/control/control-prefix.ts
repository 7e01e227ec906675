/**
 * The reserved path prefix of the control API; no Kubernetes path starts with it. A file of its own:
 * the command prints a path under it in its banner before the app, and Fastify with it, is loaded.
 */
export const CONTROL_PREFIX = '/kubemock/';
