import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { API_ROUTES } from '../../functions/handlers/routes';
import { addApiRoutes } from '../apiRoutes';
import { generatedSecret } from './generatedSecret';
import { TactfulFunction } from './tactfulFunction';
import { ENV } from '../../functions/shared/envNames';

/**
 * Shopify and WooCommerce webhooks, Segment's Webhooks destination and the Segment-compatible
 * tracking API → integrations function → the same bus as POST /events. Secrets: WooCommerce's, the
 * Segment write key and shared secret (generated here, pasted into the platform), and one per Shopify
 * shop under `tactful/<stage>/shopify/<shop>.myshopify.com` (Shopify issues it; added by hand).
 */
export class Integrations extends Construct {
  readonly function: TactfulFunction;
  readonly wooSecret: Secret;
  readonly segmentWriteKey: Secret;
  readonly segmentSharedSecret: Secret;
  readonly shopifySecretPrefix: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      api: HttpApi;
      bus: IEventBus;
      customers: ITable;
      catalog: ITable;
      tokenKey: ISecret;
      stage: 'dev' | 'prod';
      environment: Record<string, string>;
    },
  ) {
    super(scope, id);
    const retain = props.stage === 'prod';
    const manualRotation =
      'The platform holds a copy (pasted into its webhook or destination settings): ' +
      'rotating means changing it there at the same moment, by hand.';
    this.wooSecret = generatedSecret(this, 'WooCommerceWebhookSecret', {
      description: 'WooCommerce webhook secret',
      length: 40,
      retain,
      manualRotation,
    });
    this.segmentWriteKey = generatedSecret(this, 'SegmentWriteKey', {
      description: 'Segment-compatible tracking API write key',
      length: 40,
      retain,
      manualRotation,
    });
    this.segmentSharedSecret = generatedSecret(this, 'SegmentSharedSecret', {
      description: 'Segment Webhooks destination shared secret',
      length: 40,
      retain,
      manualRotation,
    });
    this.shopifySecretPrefix = `tactful/${props.stage}/shopify/`;

    this.function = new TactfulFunction(this, 'IntegrationsFunction', {
      entryName: 'integrations',
      description: 'tactful: verifies and maps Shopify, WooCommerce and Segment deliveries onto the bus',
      environment: { ...props.environment, [ENV.shopifySecretPrefix]: this.shopifySecretPrefix },
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn)
      .bindSecret(this.wooSecret, ENV.woocommerceSecretArn)
      .bindSecret(this.segmentWriteKey, ENV.segmentWriteKeySecretArn)
      .bindSecret(this.segmentSharedSecret, ENV.segmentSharedSecretArn);
    this.function.addEnvironment(ENV.eventBusName, props.bus.eventBusName);
    props.bus.grantPutEventsTo(this.function);

    const shopifySecrets = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.shopifySecretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [shopifySecrets] }));
    const stack = Stack.of(this);
    const [region, account] = [stack.region, stack.account].map((v, i) =>
      Token.isUnresolved(v) ? (i === 0 ? '<AWS::Region>' : '<AWS::AccountId>') : v,
    );
    Validations.of(this.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${region}:${account}:secret:${this.shopifySecretPrefix}*]`,
      reason:
        'Shopify signs each shop’s webhooks with that shop’s own secret; the shops are added by hand after deploy, ' +
        'so the grant covers this stage’s Shopify prefix only.',
    });

    addApiRoutes(props.api, API_ROUTES.integrations, new HttpLambdaIntegration('IntegrationsIntegration', this.function));
  }
}
