import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from './batchGet';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Campaign } from '../../domain/journeys/campaign';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { SubjectSpecs, TemplateSpecs } from '../../domain/rendering/templateSpecs';
import { campaignFromItem, publishedTemplateFromItem } from './catalogItems';
import {
  UnknownTemplateVersionError,
  type PublishOutcome,
  type TemplateVersionSummary,
  type TemplatePointer,
  type RunningCampaign,
  type CatalogRecords,
} from '../../usecases/ports/catalog';
export { UnknownTemplateVersionError } from '../../usecases/ports/catalog';
export type { PublishOutcome, TemplateVersionSummary, TemplatePointer, RunningCampaign } from '../../usecases/ports/catalog';

/** The sort key of a kept campaign version, ordered by number. */
export const campaignVersionKey = (version: number): string => `V#${String(version).padStart(6, '0')}`;

/**
 * Campaigns and published templates. Template versions are immutable and content-addressed; a
 * LATEST pointer says which version sends, so rollback is repointing, never rewriting. Beside each
 * version (SPEC#<version>) and each running campaign (`subjectSpecs`) is what publishing precompiled
 * from it, the code the send path runs: only publishing writes this table (docs/hardening.md).
 */
export class CatalogStore implements CatalogRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Makes `campaign` the definition that runs, and keeps it as version `campaign.version` unless that
   * number is already kept (versions are immutable: the first definition under a number stays). A
   * rollback (`rolledBack`) only repoints: the version it goes back to is kept already. `subjects`: its
   * variants' subjects, precompiled (precompileSubjects); a campaign without variant subjects has none.
   */
  async putCampaign(
    campaign: Campaign,
    now: string,
    options: { by?: string; rolledBack?: boolean; note?: string; subjects?: SubjectSpecs } = {},
  ): Promise<void> {
    const { by = 'deploy', rolledBack = false, note, subjects = {} } = options;
    const running = {
      pk: 'CAMPAIGN',
      sk: campaign.id,
      definition: campaign,
      subjectSpecs: subjects,
      deployedAt: now,
      ...(rolledBack ? { rolledBackAt: now } : {}),
    };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: running }));
    if (rolledBack) return;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `CAMPAIGN#${campaign.id}`,
            sk: campaignVersionKey(campaign.version),
            version: campaign.version,
            definition: JSON.stringify(campaign),
            publishedAt: now,
            publishedBy: by,
            ...(note ? { note } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The ids of paused campaigns (PAUSED items, written by the admin API). */
  async pausedCampaignIds(): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PAUSED' },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return items.map((i) => String(i['sk']));
  }

  async listCampaigns(): Promise<Campaign[]> {
    return (await this.listRunningCampaigns()).map((running) => running.campaign);
  }

  /** The running campaigns with their precompiled variant subjects (none for one deployed before subjects were precompiled). */
  async listRunningCampaigns(): Promise<RunningCampaign[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CAMPAIGN' },
    });
    // A definition that no longer parses is left out rather than crashing every trigger.
    const running = await Promise.all(
      items.map(async (item) => {
        const campaign = await campaignFromItem(item['definition']);
        return campaign && { campaign, subjects: (item['subjectSpecs'] ?? {}) as SubjectSpecs };
      }),
    );
    return running.filter((r): r is RunningCampaign => r !== undefined);
  }

  /**
   * Stores a version (versions are immutable: an existing one is left as it was) with its specs, and
   * points LATEST at it. The specs are written each time, before the pointer moves: they are what this
   * publish made from the same content, so a version stored before they existed gains them. A pointer
   * someone rolled back is held, unless `force` (a deliberate publish of this template): a routine
   * deploy must not undo a rollback.
   */
  async publishTemplate(
    template: PublishedTemplate,
    specs: TemplateSpecs,
    { force = false, by = 'deploy', note }: { force?: boolean; by?: string; note?: string } = {},
  ): Promise<PublishOutcome> {
    const pk = `TEMPLATE#${template.name}`;
    if (specs.name !== template.name || specs.version !== template.version)
      throw new Error(`the specs of ${specs.name}@${specs.version} cannot be stored with ${template.name}@${template.version}`);
    // Compressed: a 256 KB template's specs would not fit an item beside nothing else (400 KB).
    const compressed = gzipSync(JSON.stringify(specs));
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk, sk: `SPEC#${template.version}`, specs: compressed } }));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk: `V#${template.version}`, ...template, publishedBy: by, ...(note ? { note } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk: 'LATEST', version: template.version, publishedAt: template.publishedAt },
          ConditionExpression: force
            ? 'attribute_not_exists(pk) OR version <> :v'
            : 'attribute_not_exists(pk) OR (version <> :v AND attribute_not_exists(rolledBackAt))',
          ExpressionAttributeValues: { ':v': template.version },
        }),
      );
      return 'published';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.latestTemplateVersion(template.name)) === template.version ? 'unchanged' : 'held';
    }
  }

  /**
   * Points LATEST at an existing version: the next sends (after caches refresh) use it. `rolledBack`
   * (an older version than the newest) holds the pointer against routine deploys.
   */
  async pointLatest(name: string, version: string, at: string, rolledBack: boolean): Promise<void> {
    const pk = `TEMPLATE#${name}`;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.tableName, Key: { pk, sk: `V#${version}` }, ConditionExpression: 'attribute_exists(pk)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: 'LATEST', version, publishedAt: at, ...(rolledBack ? { rolledBackAt: at } : {}) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
        throw new UnknownTemplateVersionError(name, version);
      throw error;
    }
  }

  /** Every version ever published, newest first (versions are never deleted: rollback needs them). */
  async listTemplateVersions(name: string): Promise<TemplateVersionSummary[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': `TEMPLATE#${name}`, ':v': 'V#' },
      ProjectionExpression: 'version, publishedAt, publishedBy, #note',
      ExpressionAttributeNames: { '#note': 'note' },
    });
    return (items as unknown as TemplateVersionSummary[]).sort(
      (a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.version.localeCompare(b.version),
    );
  }

  /** The templates and where each LATEST points. An admin read of a small table: a filtered scan. */
  async listTemplatePointers(): Promise<TemplatePointer[]> {
    const items = await scanAll(this.doc, {
      TableName: this.tableName,
      FilterExpression: 'sk = :latest',
      ExpressionAttributeValues: { ':latest': 'LATEST' },
    });
    return items
      .map((item) => ({
        name: String(item['pk']).slice('TEMPLATE#'.length),
        version: item['version'] as string,
        publishedAt: item['publishedAt'] as string,
        ...(item['rolledBackAt'] ? { rolledBackAt: item['rolledBackAt'] as string } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async latestTemplateVersion(name: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TEMPLATE#${name}`, sk: 'LATEST' } }));
    return Item?.['version'] as string | undefined;
  }

  /** What publishing precompiled from a version; undefined for one stored without (before specs existed). */
  async getTemplateSpecs(name: string, version: string): Promise<TemplateSpecs | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TEMPLATE#${name}`, sk: `SPEC#${version}` } }),
    );
    return Item ? (JSON.parse(gunzipSync(Item['specs'] as Uint8Array).toString('utf8')) as TemplateSpecs) : undefined;
  }

  async getTemplateVersion(name: string, version: string): Promise<PublishedTemplate | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TEMPLATE#${name}`, sk: `V#${version}` } }),
    );
    return Item ? publishedTemplateFromItem(Item) : undefined;
  }
}
