import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../domain/journeys/campaign';
import { queryAll } from './batchGet';
import { campaignVersionKey } from './catalogStore';
import {
  StaleRevisionError,
  type DraftKind,
  type StoredDraft,
  type CampaignVersion,
  type PausedCampaign,
  type PendingApproval,
  type Drafts,
} from '../../usecases/ports/drafts';
export { StaleRevisionError } from '../../usecases/ports/drafts';
export type { DraftKind, StoredDraft, CampaignVersion, PausedCampaign, PendingApproval } from '../../usecases/ports/drafts';

/**
 * What marketers work on before it sends, in the catalog table beside what sends (docs/storage.md):
 *   DRAFT / <kind>#<name>             a template's or campaign's draft: parts as JSON, revision, who saved it
 *   CAMPAIGN#<id> / V#<000001>        every published campaign definition, immutable (CatalogStore.putCampaign keeps them)
 *   PAUSED / <campaignId>             a paused campaign (its due steps are held)
 *   APPROVAL / <kind>#<name>          a publish waiting for a second publisher (REQUIRE_APPROVAL)
 */

export class AuthoringStore implements Drafts {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDraft(kind: DraftKind, name: string): Promise<StoredDraft | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: 'DRAFT', sk: `${kind}#${name}` }, ConsistentRead: true }),
    );
    return Item ? draftOf(Item) : undefined;
  }

  async listDrafts(kind: DraftKind): Promise<Omit<StoredDraft, 'parts'>[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
      ExpressionAttributeValues: { ':pk': 'DRAFT', ':kind': `${kind}#` },
      ProjectionExpression: 'sk, revision, savedAt, savedBy',
    });
    return items.map((i) => ({
      kind,
      name: String(i['sk']).slice(kind.length + 1),
      revision: Number(i['revision']),
      savedAt: String(i['savedAt']),
      savedBy: String(i['savedBy']),
    }));
  }

  /**
   * Saves a draft only over the revision the editor loaded (none or 0: only when no draft exists), so
   * two editors never overwrite each other silently. Returns the new revision.
   */
  async saveDraft(
    kind: DraftKind,
    name: string,
    parts: unknown,
    expected: number | undefined,
    savedBy: string,
    savedAt: string,
  ): Promise<StoredDraft> {
    const revision = (expected ?? 0) + 1;
    const draft: StoredDraft = { kind, name, revision, parts, savedAt, savedBy };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: 'DRAFT', sk: `${kind}#${name}`, revision, parts: JSON.stringify(parts), savedAt, savedBy },
          ...(expected
            ? { ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': expected } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return draft;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.getDraft(kind, name);
      if (!current) return this.saveDraft(kind, name, parts, undefined, savedBy, savedAt);
      throw new StaleRevisionError(expected, current, parts);
    }
  }

  async campaignVersions(id: string): Promise<CampaignVersion[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': `CAMPAIGN#${id}`, ':v': 'V#' },
      ScanIndexForward: false,
    });
    return items.map((i) => ({
      version: Number(i['version']),
      definition: JSON.parse(String(i['definition'])) as Campaign,
      publishedAt: String(i['publishedAt']),
      publishedBy: String(i['publishedBy']),
      ...(typeof i['note'] === 'string' ? { note: i['note'] } : {}),
    }));
  }

  async campaignVersion(id: string, version: number): Promise<CampaignVersion | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `CAMPAIGN#${id}`, sk: campaignVersionKey(version) } }),
    );
    return Item
      ? {
          version,
          definition: JSON.parse(String(Item['definition'])) as Campaign,
          publishedAt: String(Item['publishedAt']),
          publishedBy: String(Item['publishedBy']),
        }
      : undefined;
  }

  async pause(campaignId: string, pausedBy: string, pausedAt: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: 'PAUSED', sk: campaignId, pausedAt, pausedBy } }));
  }

  /** The pause it ended, or undefined when the campaign was not paused. */
  async resume(campaignId: string): Promise<PausedCampaign | undefined> {
    const out = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: 'PAUSED', sk: campaignId }, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes
      ? { campaignId, pausedAt: String(out.Attributes['pausedAt']), pausedBy: String(out.Attributes['pausedBy']) }
      : undefined;
  }

  async pausedCampaigns(): Promise<PausedCampaign[]> {
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'PAUSED' } }),
    );
    return (out.Items ?? []).map((i) => ({
      campaignId: String(i['sk']),
      pausedAt: String(i['pausedAt']),
      pausedBy: String(i['pausedBy']),
    }));
  }

  async requestApproval(approval: PendingApproval): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'APPROVAL', sk: `${approval.kind}#${approval.name}`, ...approval, parts: JSON.stringify(approval.parts) },
      }),
    );
  }

  async pendingApprovals(): Promise<PendingApproval[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'APPROVAL' },
    });
    return items.map(approvalOf);
  }

  /** Takes the pending approval off the list, or undefined when there is none (already approved elsewhere). */
  async takeApproval(kind: DraftKind, name: string): Promise<PendingApproval | undefined> {
    const out = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: 'APPROVAL', sk: `${kind}#${name}` }, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes ? approvalOf(out.Attributes) : undefined;
  }
}

function draftOf(item: Record<string, unknown>): StoredDraft {
  const [kind, ...rest] = String(item['sk']).split('#');
  return {
    kind: kind as DraftKind,
    name: rest.join('#'),
    revision: Number(item['revision']),
    parts: JSON.parse(String(item['parts'])),
    savedAt: String(item['savedAt']),
    savedBy: String(item['savedBy']),
  };
}

function approvalOf(item: Record<string, unknown>): PendingApproval {
  return {
    kind: item['kind'] as DraftKind,
    name: String(item['name']),
    requestedBy: String(item['requestedBy']),
    requestedAt: String(item['requestedAt']),
    summary: String(item['summary']),
    ...(typeof item['note'] === 'string' ? { note: item['note'] } : {}),
    parts: JSON.parse(String(item['parts'])),
    revision: Number(item['revision']),
  };
}
