import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/adapters/bus/eventPublisher';
import { TactfulFunction } from './tactfulFunction';

/** POST /events → ingest function → EventBridge bus (archived, so events can be replayed). */
export class Ingest extends Construct {
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly function: TactfulFunction;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: { shopApiKeys: ISecret }) {
    super(scope, id);
    this.bus = new EventBus(this, 'ShopEvents');
    new Archive(this, 'ShopEventsArchive', {
      sourceEventBus: this.bus,
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(30),
      description: 'tactful: every accepted shop event, for replay',
    });
    this.function = new TactfulFunction(this, 'IngestFunction', { entryName: 'ingest', description: 'tactful: validates shop events and puts them on the bus' });
    this.function.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
    this.bus.grantPutEventsTo(this.function);
    this.function.bindSecret(props.shopApiKeys, 'SHOP_API_KEYS_SECRET_ARN');

    this.api = new HttpApi(this, 'Api', {
      description: 'tactful: shop events and customer links',
      createDefaultStage: false,
      corsPreflight: { allowMethods: [CorsHttpMethod.POST], allowOrigins: [] },
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
    });
    this.api.addRoutes({ path: '/events', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('IngestIntegration', this.function) });
  }

  /** The API's base URL; customers' links point here. */
  get url(): string {
    return `https://${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
  }
}
