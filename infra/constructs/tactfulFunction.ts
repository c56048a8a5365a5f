import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '../bundling';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { join } from 'node:path';
import type { EnvName } from '../../functions/shared/envNames';

export interface TactfulFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture'> {
  /** File under functions/lambda/, without extension. */
  entryName: string;
}

/**
 * Every tactful function: Node.js 24 on arm64, bundled by the local esbuild (minified, source maps,
 * the SDK taken from the runtime), JSON logs, one-month log retention. `bind*` turns "environment
 * variable + grant" into one call, so a function never has access it was not explicitly given.
 */
export class TactfulFunction extends NodejsFunction {
  /** Its entry point, functions/lambda/<entryName>.ts. */
  readonly entryName: string;

  constructor(scope: Construct, id: string, { entryName, environment, bundling, ...props }: TactfulFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    // Its own role, allowed to write to its own log group only (no AWS-managed policy with logs:* on *).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `tactful ${entryName} function`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: join(__dirname, '..', '..', 'functions', 'lambda', `${entryName}.ts`),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'tactful',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...environment,
      },
      bundling: {
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: true,
        target: LAMBDA_BUNDLE.target,
        format: OutputFormat.CJS,
        externalModules: [...LAMBDA_BUNDLE.external],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        ...bundling,
      },
      ...props,
    });
    this.entryName = entryName;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }

  bindTable(table: ITable, envName: EnvName, access: 'read' | 'readWrite'): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
      reason:
        "The grant covers this table's own indexes (the sparse due and byCampaign indexes), which the functions query; no other table.",
    });
    return this;
  }

  bindQueueForSending(queue: IQueue, envName: EnvName): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  bindSecret(secret: ISecret, envName: EnvName): this {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this);
    return this;
  }
}
