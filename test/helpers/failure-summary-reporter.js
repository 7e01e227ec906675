// The reporter module `npm test` names: Node 20's runner loads reporters without the --import hooks, so
// this registers tsx itself and hands on failure-summary.ts's reporter.
import { register } from 'tsx/esm/api';

register();
const { default: failureSummary } = await import('./failure-summary.ts');
export default failureSummary;
