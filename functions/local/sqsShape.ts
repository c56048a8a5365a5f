import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** Builds the SQS event Lambda would receive, so local delivery runs the very same handlers. */
export function sqsEventOf(bodies: { id: string; body: string; receiveCount: number }[]): SQSEvent {
  return {
    Records: bodies.map(({ id, body, receiveCount }): SQSRecord => ({
      messageId: id,
      receiptHandle: id,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:local',
      awsRegion: 'local',
    })),
  };
}

export const newMessageId = (): string => randomUUID();
