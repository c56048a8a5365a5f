import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * A key Secrets Manager generates (letters and digits), kept on delete in prod. None of tactful's keys
 * can use a rotation function — each says why in `manualRotation`, which cdk-nag's SMG4 reads.
 */
export function generatedSecret(
  scope: Construct,
  id: string,
  props: { description: string; length: number; retain: boolean; manualRotation: string },
): Secret {
  const secret = new Secret(scope, id, {
    description: `tactful: ${props.description}`,
    generateSecretString: { passwordLength: props.length, excludePunctuation: true },
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.manualRotation });
  return secret;
}
