import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';

/** The admin API (why not sent, campaign results, data export and erasure, audit trail), behind a bearer key. */
export class Admin extends Construct {
  readonly function: TactfulFunction;
  readonly adminKey: Secret;

  constructor(scope: Construct, id: string, props: { api: HttpApi; customers: ITable; catalog: ITable; tokenKey: ISecret; environment: Record<string, string>; stage: 'dev' | 'prod' }) {
    super(scope, id);
    this.adminKey = new Secret(this, 'AdminKey', {
      description: 'tactful: bearer key of the admin API',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.adminKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotated by operators, who hand the new key to the marketers using the admin API; a rotation function could not reach them.',
    });
    this.function = new TactfulFunction(this, 'AdminFunction', { entryName: 'admin', description: 'tactful: admin API (why not sent, results, export, erase, audit)', environment: props.environment })
      // Erase deletes the customer's items and records consent withdrawals: read-write on customers only.
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'readWrite')
      .bindTable(props.catalog, 'CATALOG_TABLE', 'read')
      .bindSecret(props.tokenKey, 'TOKEN_KEY_SECRET_ARN')
      .bindSecret(this.adminKey, 'ADMIN_KEY_SECRET_ARN');
    const integration = new HttpLambdaIntegration('AdminIntegration', this.function);
    for (const path of ['/admin/api/customers/{customerId}/jobs', '/admin/api/customers/{customerId}/export', '/admin/api/campaigns/{campaignId}/log', '/admin/api/audit', '/admin/api/reports']) {
      props.api.addRoutes({ path, methods: [HttpMethod.GET], integration });
    }
    props.api.addRoutes({ path: '/admin/api/customers/{customerId}/erase', methods: [HttpMethod.POST], integration });
    props.api.addRoutes({ path: '/admin/api/campaigns/{campaignId}/simulate', methods: [HttpMethod.POST], integration });
  }
}
