import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';
import { API_ROUTES } from '../../functions/handlers/routes';
import { addApiRoutes } from '../apiRoutes';
import { ENV } from '../../functions/shared/envNames';

/** The customers' links: one-click unsubscribe and the preference center. Public, token-authenticated. */
export class Preferences extends Construct {
  readonly function: TactfulFunction;

  constructor(
    scope: Construct,
    id: string,
    props: { api: HttpApi; customers: ITable; catalog: ITable; tokenKey: ISecret; environment: Record<string, string> },
  ) {
    super(scope, id);
    this.function = new TactfulFunction(this, 'PreferencesFunction', {
      entryName: 'preferences',
      description: 'tactful: one-click unsubscribe and the preference center',
      environment: props.environment,
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn);
    const integration = new HttpLambdaIntegration('PreferencesIntegration', this.function);
    addApiRoutes(props.api, API_ROUTES.preferences, integration);
  }
}
