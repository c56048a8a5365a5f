import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ENV, type EnvName } from '../shared/envNames';
import { ConfigError } from '../shared/errors';

/** Secrets are read from Secrets Manager once and cached per container for five minutes. */
const MAX_AGE_SECONDS = 300;

export async function secretString(envName: EnvName): Promise<string> {
  const arn = process.env[envName];
  if (!arn) throw new ConfigError(envName, 'is not set');
  const value = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(envName, 'secret is empty');
  return value;
}

/** The shops' API keys: a JSON array of strings, or one key. */
export async function shopApiKeys(): Promise<readonly string[]> {
  const raw = await secretString(ENV.shopApiKeysSecretArn);
  if (!raw.trim().startsWith('[')) return [raw.trim()];
  const keys: unknown = JSON.parse(raw);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k.length >= 16)) {
    throw new ConfigError(ENV.shopApiKeysSecretArn, 'must hold a JSON array of keys of 16 characters or more');
  }
  return keys;
}

async function signingKey(envName: EnvName): Promise<Buffer> {
  const key = Buffer.from(await secretString(envName), 'utf8');
  if (key.length < 32) throw new ConfigError(envName, 'must hold at least 32 bytes');
  return key;
}

/** Signs unsubscribe and preference links (and hashes addresses on the suppression list). */
export const tokenSigningKey = (): Promise<Buffer> => signingKey(ENV.tokenKeySecretArn);

/** Signs console sessions and their CSRF tokens: rotated on its own, it only signs people out. */
export const consoleSessionKey = (): Promise<Buffer> => signingKey(ENV.consoleKeySecretArn);
