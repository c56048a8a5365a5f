import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { type ChangeAction, type ChangeEntry, type ChangeLog } from '../../usecases/ports/changeLog';
export { CHANGE_ACTIONS } from '../../usecases/ports/changeLog';
export type { ChangeAction, ChangeEntry } from '../../usecases/ports/changeLog';

/**
 * The admin side's own records, in the catalog table (docs/storage.md):
 *   CHANGES / <at>#<nonce>            the change log: who did what to which template or campaign, newest last
 *   SESSION / REVOKED#<nonce>         a console session that signed out
 *   SESSION / EPOCH                   sessions issued before `notBefore` are over ("sign out everyone")
 *   TESTSENDS#<actor> / <minute>      test sends per person per minute (the limit is atomic across containers)
 */

/** Draft saves by the same person on the same subject this close together are one entry. */
export const COALESCE_DRAFT_SAVES_MS = 10 * 60_000;

export class AdminStore implements ChangeLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Appends an entry. A draft save right after the same person's previous save of the same subject
   * replaces that entry (one "draft saved" line, with the count), so the log reads as decisions.
   */
  async record(entry: ChangeEntry): Promise<void> {
    const item = { pk: 'CHANGES', sk: `${entry.at}#${randomBytes(6).toString('hex')}`, ...entry };
    if (entry.action === 'draft-saved') {
      const [previous] = await this.changes(1);
      const recent = previous && previous.action === 'draft-saved' && previous.subject === entry.subject && previous.actor === entry.actor;
      if (recent && Date.parse(entry.at) - Date.parse(previous.lastAt ?? previous.at) <= COALESCE_DRAFT_SAVES_MS) {
        const saves = (previous.saves ?? 1) + 1;
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: this.tableName, Key: { pk: 'CHANGES', sk: previous.sk } } },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...item,
                    saves,
                    lastAt: entry.at,
                    summary: `${entry.summary} (${saves} saves since ${previous.firstAt ?? previous.at})`,
                    firstAt: previous.firstAt ?? previous.at,
                  },
                },
              },
            ],
          }),
        );
        return;
      }
    }
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Newest first. */
  async changes(limit = 200): Promise<(ChangeEntry & { sk: string; saves?: number; lastAt?: string; firstAt?: string })[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CHANGES' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({
      sk: String(i['sk']),
      at: String(i['at']),
      actor: String(i['actor']),
      action: i['action'] as ChangeAction,
      subject: String(i['subject']),
      summary: String(i['summary']),
      ...(i['saves'] ? { saves: Number(i['saves']), lastAt: String(i['lastAt']), firstAt: String(i['firstAt']) } : {}),
    }));
  }

  async revokeSession(nonce: string, expiresAt: number): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: 'SESSION', sk: `REVOKED#${nonce}`, sessionExpiresAt: expiresAt } }),
    );
  }

  /** Every session issued before `notBeforeSeconds` ends. */
  async revokeAllSessions(notBeforeSeconds: number): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: 'SESSION', sk: 'EPOCH', notBefore: notBeforeSeconds } }));
  }

  /** Whether a session was signed out, or issued before everyone was signed out: one read per request. */
  async sessionRevoked(nonce: string, issuedAtSeconds: number): Promise<boolean> {
    const out = await this.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: {
            Keys: [
              { pk: 'SESSION', sk: `REVOKED#${nonce}` },
              { pk: 'SESSION', sk: 'EPOCH' },
            ],
            ConsistentRead: true,
          },
        },
      }),
    );
    const items = out.Responses?.[this.tableName] ?? [];
    if (Object.keys(out.UnprocessedKeys ?? {}).length > 0) return true; // unsure: refuse, the person signs in again
    return items.some((i) => i['sk'] !== 'EPOCH' || Number(i['notBefore']) > issuedAtSeconds);
  }

  /**
   * Takes one of `limit` test sends of this person in the current minute of `now`; returns 0 when
   * taken, or the seconds until the next minute when the limit is reached.
   */
  async takeTestSend(actor: string, now: Date, limit: number): Promise<number> {
    const minute = now.toISOString().slice(0, 16);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `TESTSENDS#${actor}`, sk: minute },
          UpdateExpression: 'ADD sends :one',
          ConditionExpression: 'attribute_not_exists(sends) OR sends < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        }),
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return Math.max(1, 60 - now.getUTCSeconds());
    }
  }
}
