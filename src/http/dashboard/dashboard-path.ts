/**
 * The dashboard's path, under the control API's prefix. A file of its own: the command prints it in
 * its banner before the app, and Fastify with it, is loaded.
 */
import { CONTROL_PREFIX } from '../control/control-prefix.js';

export const DASHBOARD_PATH = `${CONTROL_PREFIX}ui/`;
