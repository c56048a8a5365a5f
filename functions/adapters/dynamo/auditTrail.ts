import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../usecases/ports/customers';
import { queryAll } from './batchGet';
import { expiresAt, RETENTION_DAYS, strip, type Item } from './items';

/** The audit trail of staff access to customers' data, one partition per UTC day. */
export class AuditTrail {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Who exported or erased whose data, when and through which door — never the content. */
  async audit(entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...entry,
          pk: `AUDIT#${entry.at.slice(0, 10)}`,
          sk: `${entry.at}#${entry.customerId}#${entry.action}`,
          kind: 'audit',
          expiresAt: expiresAt(entry.at, RETENTION_DAYS.audit),
        },
      }),
    );
  }

  /** The audit trail of one UTC day. */
  async auditTrail(day: string): Promise<Item[]> {
    return (
      await queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${day}` },
      })
    ).map((i) => strip<Item>(i));
  }
}
