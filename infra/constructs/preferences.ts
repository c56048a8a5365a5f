import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';

/** The customers' links: one-click unsubscribe and the preference center. Public, token-authenticated. */
export class Preferences extends Construct {
  static readonly ROUTES: { path: string; methods: HttpMethod[] }[] = [
    { path: '/u/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
    { path: '/preferences/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
    { path: '/preferences/{token}/export', methods: [HttpMethod.GET] },
  ];
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { api: HttpApi; customers: ITable; catalog: ITable; tokenKey: ISecret; environment: Record<string, string> }) {
    super(scope, id);
    this.function = new TactfulFunction(this, 'PreferencesFunction', {
      entryName: 'preferences',
      description: 'tactful: one-click unsubscribe and the preference center',
      environment: props.environment,
    })
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'readWrite')
      .bindTable(props.catalog, 'CATALOG_TABLE', 'read')
      .bindSecret(props.tokenKey, 'TOKEN_KEY_SECRET_ARN');
    const integration = new HttpLambdaIntegration('PreferencesIntegration', this.function);
    for (const route of Preferences.ROUTES) props.api.addRoutes({ ...route, integration });
  }
}
