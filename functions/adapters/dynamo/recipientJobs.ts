import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Job } from '../../domain/journeys/job';
import { customerPk, jobItem, plusMs, QUEUED_LEASE_MS, SK, strip } from './items';
import { type RecipientJob, type Recipients } from '../../usecases/ports/broadcasts';
export type { RecipientJob } from '../../usecases/ports/broadcasts';

/**
 * A broadcast's recipients as jobs: one per customer and broadcast, created only if there is none (a
 * conditional PutItem each, in parallel), so a page read twice makes nobody a second job. A job is
 * made `queued` with the sweep's lease: if its send message is lost (a crash before the hand-over),
 * the sweep hands it over when the lease ends, as any job's.
 */
export class RecipientJobs implements Recipients {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(jobs: Job[], now: string): Promise<RecipientJob[]> {
    const lease = plusMs(now, QUEUED_LEASE_MS);
    return Promise.all(
      jobs.map(async (job): Promise<RecipientJob> => {
        try {
          await this.doc.send(
            new PutCommand({ TableName: this.tableName, Item: jobItem(job, lease), ConditionExpression: 'attribute_not_exists(pk)' }),
          );
          return { job, created: true };
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          const { Item } = await this.doc.send(
            new GetCommand({
              TableName: this.tableName,
              Key: { pk: customerPk(job.customerId), sk: SK.job(job.jobId) },
              ConsistentRead: true,
            }),
          );
          // Gone meanwhile (expired, or the customer erased): nobody to send to.
          return { job, created: false, existing: Item ? strip<Job>(Item) : { ...job, status: 'cancelled' } };
        }
      }),
    );
  }
}
