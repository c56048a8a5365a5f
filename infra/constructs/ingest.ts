import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/adapters/bus/eventPublisher';
import { TactfulFunction } from './tactfulFunction';
import { API_ROUTES } from '../../functions/handlers/routes';
import { addApiRoutes } from '../apiRoutes';
import { ENV } from '../../functions/shared/envNames';

/** POST /events → ingest function → EventBridge bus (archived, so events can be replayed). */
export class Ingest extends Construct {
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly function: TactfulFunction;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: { shopApiKeys: ISecret; customers: ITable }) {
    super(scope, id);
    this.bus = new EventBus(this, 'ShopEvents');
    new Archive(this, 'ShopEventsArchive', {
      sourceEventBus: this.bus,
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(30),
      description: 'tactful: every accepted shop event, for replay',
    });
    this.function = new TactfulFunction(this, 'IngestFunction', {
      entryName: 'ingest',
      description: 'tactful: validates shop events and puts them on the bus',
    });
    this.function.addEnvironment(ENV.eventBusName, this.bus.eventBusName);
    this.bus.grantPutEventsTo(this.function);
    this.function.bindSecret(props.shopApiKeys, ENV.shopApiKeysSecretArn);
    // Named keys are looked up by hash (GetItem) and refused events recorded (PutItem): nothing else.
    this.function.addEnvironment(ENV.customersTable, props.customers.tableName);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [props.customers.tableArn] }),
    );

    this.api = new HttpApi(this, 'Api', {
      description: 'tactful: shop events and customer links',
      createDefaultStage: false,
      corsPreflight: { allowMethods: [CorsHttpMethod.POST], allowOrigins: [] },
    });
    // Access logs without paths or addresses: paths carry link tokens, and an address is personal data.
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates in its function, before anything else: shops by x-api-key compared in constant time with keys in ' +
        "Secrets Manager; customers' links by HMAC-signed tokens; the admin API by a bearer key; the console by a signed session " +
        'cookie issued after a Cognito sign-in (MFA). A Lambda authorizer would repeat the same check in a second invocation.',
    });
    addApiRoutes(this.api, API_ROUTES.ingest, new HttpLambdaIntegration('IngestIntegration', this.function));
  }

  /** The API's base URL; customers' links point here. */
  get url(): string {
    return `https://${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
  }
}
