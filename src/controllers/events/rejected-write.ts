/**
 * Which failed event writes a recorder drops: every one the API server answered with a Status
 * (a namespace being deleted, a gone object, a name taken, an event it found invalid…). client-go's
 * recorders (tools/record's recordEvent, tools/events' recordEvent) give up on those ("Server
 * rejected event (will not retry!)"): an event is best effort, and the controller that recorded it
 * goes on. Any other error is a fault of ours and is thrown.
 */
import { StatusError } from '../../apimachinery/status.js';

export const rejectedByServer = (err: unknown): err is StatusError => err instanceof StatusError;
