import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { TemplateCheck } from '../../domain/rendering/templateCheck';

/**
 * Checks a version to publish (checkPublishedTemplate: precompiles it and renders its samples) on a
 * worker thread with a time limit, so a template that is slow to parse or render holds neither the event loop (locally one process serves
 * everyone: /health, sends, customers' links) nor a Lambda invocation past the limit. A new worker per
 * publish: publishing is rare, and a worker that ran out of time is ended, not reused.
 */

export const TEMPLATE_CHECK_TIMEOUT_MS = 5000;

/** The check did not finish within its time: the version is refused, as one over a limit is. */
export class TemplateCheckTimeoutError extends Error {
  override name = 'TemplateCheckTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`compiling and rendering the samples took longer than ${timeoutMs / 1000} s: make the template smaller or simpler`);
  }
}

/**
 * The worker's code: from source under tsx or ts-jest (through tsx's require hook), else the file the
 * admin function's bundle carries beside itself (infra/constructs/admin.ts builds it).
 */
function startWorker(published: PublishedTemplate): Worker {
  if (__filename.endsWith('.ts')) {
    // Spelt so that esbuild leaves it alone: bundles never take this branch, and tsx is a dev dependency.
    const register = JSON.stringify(require.resolve(['tsx', 'cjs', 'api'].join('/')));
    const boot = `require(${register}).register(); require(${JSON.stringify(join(__dirname, 'worker.ts'))});`;
    return new Worker(boot, { eval: true, workerData: published });
  }
  return new Worker(join(__dirname, 'templateCheckWorker.js'), { workerData: published });
}

export function checkTemplateOffThread(published: PublishedTemplate, timeoutMs = TEMPLATE_CHECK_TIMEOUT_MS): Promise<TemplateCheck> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(published);
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new TemplateCheckTimeoutError(timeoutMs));
    }, timeoutMs);
    const settle = (then: () => void) => {
      clearTimeout(timer);
      void worker.terminate();
      then();
    };
    worker.once('message', (answer: { check?: TemplateCheck; failed?: string }) =>
      settle(() => (answer.check ? resolve(answer.check) : reject(new Error(`template check failed: ${answer.failed}`)))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`template check worker exited with code ${code}`))));
  });
}
