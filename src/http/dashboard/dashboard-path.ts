/**
 * The dashboard's path, under the control API's prefix (/kubemock/). A file of its own: the
 * command prints it in its banner before the app, and Fastify with it, is loaded.
 */
export const DASHBOARD_PATH = '/kubemock/ui/';
