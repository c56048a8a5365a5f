import { parentPort, workerData } from 'node:worker_threads';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import { checkPublishedTemplate } from '../../domain/rendering/templateCheck';

/** The worker thread's whole job: check one version and answer with its problems, or its specs (see offThread.ts). */
try {
  parentPort!.postMessage({ check: checkPublishedTemplate(workerData as PublishedTemplate) });
} catch (error) {
  parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
