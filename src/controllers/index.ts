/** Every controller kubemock runs, in start order. */
import type { ControllerContext } from './context.js';
import type { Controller } from './runtime/controller.js';
import { daemonSetController } from './daemonset/controller.js';

export function buildControllers(ctx: ControllerContext): Controller[] {
  return [
    daemonSetController(ctx),
  ];
}
