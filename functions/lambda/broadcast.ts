import { makeBroadcastWorkerHandler } from '../handlers/broadcastWorkerHandler';
import { withMetrics } from '../shared/metrics';
import { fanOutDepsFromEnv } from './broadcastWiring';

/** Broadcast queue → one wave part per message: read a scan segment, make the recipients' jobs, hand them to the send queue. */
export const handler = withMetrics(makeBroadcastWorkerHandler(fanOutDepsFromEnv()));
