import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AudienceReader } from '../adapters/dynamo/audienceReader';
import { cachedSegmentDefinitions, SegmentStore } from '../adapters/dynamo/segmentStore';
import { SegmentMembership } from '../usecases/segmentMembership';

/** Whether a customer is in the segments campaigns' triggers name: the trigger and send functions ask it. */
export function segmentMembership(
  doc: DynamoDBDocumentClient,
  config: { catalogTable: string; customersTable: string; defaultTimeZone: string },
): SegmentMembership {
  return new SegmentMembership({
    segments: cachedSegmentDefinitions(new SegmentStore(doc, config.catalogTable)),
    subjects: new AudienceReader(doc, config.customersTable),
    timeZone: config.defaultTimeZone,
  });
}
