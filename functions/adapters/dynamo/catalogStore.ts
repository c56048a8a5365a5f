import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { campaignSchema, type Campaign } from '../../domain/campaign';
import { publishedTemplateSchema, type PublishedTemplate } from '../../domain/rendering/publishedTemplate';

/**
 * Campaigns and published templates. Template versions are immutable and content-addressed; a
 * LATEST pointer says which version sends, so rollback is repointing, never rewriting.
 */
export class CatalogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putCampaign(campaign: Campaign, now: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: 'CAMPAIGN', sk: campaign.id, definition: campaign, deployedAt: now } }));
  }

  async listCampaigns(): Promise<Campaign[]> {
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CAMPAIGN' } }),
    );
    // A definition that no longer parses is left out rather than crashing every trigger.
    return (out.Items ?? []).flatMap((item) => {
      const parsed = campaignSchema.safeParse(item['definition']);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Stores a version (once) and points LATEST at it. Returns false when LATEST already was that version. */
  async publishTemplate(template: PublishedTemplate): Promise<boolean> {
    const pk = `TEMPLATE#${template.name}`;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { pk, sk: `V#${template.version}`, ...template } } },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: 'LATEST', version: template.version, publishedAt: template.publishedAt },
                ConditionExpression: 'attribute_not_exists(pk) OR version <> :v',
                ExpressionAttributeValues: { ':v': template.version },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async latestTemplateVersion(name: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TEMPLATE#${name}`, sk: 'LATEST' } }));
    return Item?.['version'] as string | undefined;
  }

  async getTemplateVersion(name: string, version: string): Promise<PublishedTemplate | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TEMPLATE#${name}`, sk: `V#${version}` } }));
    return Item ? publishedTemplateSchema.parse(Item) : undefined;
  }
}
