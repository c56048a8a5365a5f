import type { Job } from '../../functions/domain/journeys/job';

export const sendMessageOf = (job: Pick<Job, 'customerId' | 'jobId' | 'stepId' | 'instanceId'>): string =>
  JSON.stringify({ customerId: job.customerId, jobId: job.jobId, stepId: job.stepId, instanceId: job.instanceId });
