import type { Node } from 'constructs';

/** Stage configuration, typed, from CDK context (`-c stage=prod -c sesIdentity=example.com …`). */
export interface StageConfig {
  stage: 'dev' | 'prod';
  /** The verified SES identity (a domain or address) mail is sent from. */
  sesIdentity: string;
  fromAddress: string;
  shopName: string;
  shopPostalAddress: string;
  defaultTimeZone: string;
  /** SES account sending rate (emails/s): bounds the send function's concurrency. */
  sesMaxSendRate: number;
}

export function stageConfig(node: Node): StageConfig {
  const get = (key: string, fallback: string): string => String(node.tryGetContext(key) ?? fallback);
  const stage = get('stage', 'dev');
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`context "stage" must be dev or prod, got "${stage}"`);
  const sesIdentity = get('sesIdentity', 'example.com');
  const rate = Number(get('sesMaxSendRate', '14'));
  if (!Number.isFinite(rate) || rate < 1) throw new Error('context "sesMaxSendRate" must be a number ≥ 1');
  return {
    stage,
    sesIdentity,
    fromAddress: get('fromAddress', `shop@${sesIdentity.includes('@') ? sesIdentity.split('@')[1] : sesIdentity}`),
    shopName: get('shopName', 'Our shop'),
    shopPostalAddress: get('shopPostalAddress', ''),
    defaultTimeZone: get('defaultTimeZone', 'UTC'),
    sesMaxSendRate: rate,
  };
}
