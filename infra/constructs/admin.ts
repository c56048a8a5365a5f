import { RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';

/** The read-only admin API (why a job was not sent, per customer and per campaign), behind a bearer key. */
export class Admin extends Construct {
  readonly function: TactfulFunction;
  readonly adminKey: Secret;

  constructor(scope: Construct, id: string, props: { api: HttpApi; customers: ITable; stage: 'dev' | 'prod' }) {
    super(scope, id);
    this.adminKey = new Secret(this, 'AdminKey', {
      description: 'tactful: bearer key of the admin API',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.function = new TactfulFunction(this, 'AdminFunction', { entryName: 'admin', description: 'tactful: read-only admin API' })
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'read')
      .bindSecret(this.adminKey, 'ADMIN_KEY_SECRET_ARN');
    const integration = new HttpLambdaIntegration('AdminIntegration', this.function);
    for (const path of ['/admin/api/customers/{customerId}/jobs', '/admin/api/campaigns/{campaignId}/log']) {
      props.api.addRoutes({ path, methods: [HttpMethod.GET], integration });
    }
  }
}
