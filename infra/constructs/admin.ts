import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, OAuthScope, UserPool, UserPoolClientIdentityProvider } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';
import { API_ROUTES } from '../../functions/handlers/routes';
import { addApiRoutes } from '../apiRoutes';
import { generatedSecret } from './generatedSecret';
import { join } from 'node:path';
import { LAMBDA_BUNDLE } from '../bundling';
import { ROLES } from '../../functions/domain/authoring/roles';
import {
  CONSOLE_ASSET_DIR,
  CONSOLE_BUNDLE,
  CONSOLE_SCRIPT_ENTRIES,
  CONSOLE_SCRIPTS,
} from '../../functions/adapters/consoleAssets/consoleAssets';
import { ENV } from '../../functions/shared/envNames';

/**
 * The admin API and the marketers' console (/admin), one function. Scripts use the admin API with a
 * bearer key; people sign in to the console with their own accounts in a Cognito user pool (MFA
 * required, no self sign-up), and the console keeps its own short session cookie.
 */
export class Admin extends Construct {
  readonly function: TactfulFunction;
  readonly adminKey: Secret;
  readonly consoleSessionKey: Secret;
  readonly consoleUsers: UserPool;

  constructor(
    scope: Construct,
    id: string,
    props: {
      api: HttpApi;
      publicBaseUrl: string;
      customers: ITable;
      catalog: ITable;
      tokenKey: ISecret;
      environment: Record<string, string>;
      stage: 'dev' | 'prod';
      consoleDomainPrefix?: string;
    },
  ) {
    super(scope, id);
    const retain = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.adminKey = generatedSecret(this, 'AdminKey', {
      description: 'bearer key of the admin API',
      length: 48,
      retain: props.stage === 'prod',
      manualRotation:
        'Rotated by operators, who hand the new key to the marketers using the admin API; a rotation function could not reach them.',
    });
    // Its own key, not the link-signing one: rotating it signs everyone out of the console and touches
    // no unsubscribe link in anyone's mailbox.
    this.consoleSessionKey = generatedSecret(this, 'ConsoleSessionKey', {
      description: 'HMAC key that signs web console sessions and their CSRF tokens',
      length: 64,
      retain: props.stage === 'prod',
      manualRotation:
        'Rotated by operators when needed (put-secret-value); the only effect is that everyone signs in again, within the five minutes ' +
        'the function caches secrets.',
    });

    this.consoleUsers = new UserPool(this, 'ConsoleUsers', {
      userPoolName: `tactful-console-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: retain,
    });
    for (const rule of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.consoleUsers).acknowledge({
        id: rule,
        reason:
          'A handful of staff accounts, created by an administrator, with MFA required: the Plus tier threat protection costs more ' +
          'than it protects here.',
      });
    }
    // The console's roles: a person's highest group decides (no group: viewer). Add people to one with
    // `aws cognito-idp admin-add-user-to-group --group-name editor …`.
    const roleWords = {
      viewer: 'reads campaigns, templates, results and the change log',
      editor: 'also edits drafts, previews and test-sends',
      publisher: 'also publishes, rolls back, pauses, resumes and approves',
    };
    for (const [precedence, role] of ROLES.slice().reverse().entries()) {
      const id = `${role[0]!.toUpperCase()}${role.slice(1)}Group`;
      this.consoleUsers.addGroup(id, { groupName: role, description: `tactful console ${role}: ${roleWords[role]}`, precedence });
    }
    const domain = this.consoleUsers.addDomain('ConsoleSignIn', {
      // Cognito domain prefixes are global: the account id keeps ours unique.
      cognitoDomain: { domainPrefix: props.consoleDomainPrefix ?? `tactful-${props.stage}-${Stack.of(this).account}` },
    });
    const client = this.consoleUsers.addClient('Console', {
      // A public client with PKCE: no client secret to store or leak.
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [`${props.publicBaseUrl}/admin/auth/callback`],
        logoutUrls: [`${props.publicBaseUrl}/admin/signed-out`],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
    });

    this.function = new TactfulFunction(this, 'AdminFunction', {
      entryName: 'admin',
      description: 'tactful: admin API and console (templates, campaigns, simulation, results, export, erase, audit)',
      // Drafts are validated and compiled here (MJML included), so a little more room than the send path.
      memorySize: 1024,
      environment: {
        ...props.environment,
        [ENV.cognitoUserPoolId]: this.consoleUsers.userPoolId,
        [ENV.cognitoClientId]: client.userPoolClientId,
        [ENV.cognitoDomain]: domain.baseUrl(),
      },
      bundling: {
        // Publishing checks a version on a worker thread (adapters/templateCheck/offThread.ts): its code goes beside the bundle.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [
            [
              JSON.stringify(join(inputDir, 'node_modules', '.bin', 'esbuild')),
              JSON.stringify(join(inputDir, 'functions', 'adapters', 'templateCheck', 'worker.ts')),
              '--bundle',
              '--platform=node',
              `--target=${LAMBDA_BUNDLE.target}`,
              '--format=cjs',
              '--minify',
              '--log-level=warning',
              ...LAMBDA_BUNDLE.external.map((module) => `--external:${module}`),
              `--outfile=${JSON.stringify(join(outputDir, 'templateCheckWorker.js'))}`,
            ].join(' '),
            // The console's editors (CodeMirror and ours), served by this function from beside its bundle.
            ...CONSOLE_SCRIPTS.map((name) =>
              [
                JSON.stringify(join(inputDir, 'node_modules', '.bin', 'esbuild')),
                JSON.stringify(join(inputDir, CONSOLE_SCRIPT_ENTRIES[name])),
                '--bundle',
                '--minify',
                `--format=${CONSOLE_BUNDLE.format}`,
                `--platform=${CONSOLE_BUNDLE.platform}`,
                `--target=${CONSOLE_BUNDLE.target}`,
                '--log-level=warning',
                `--outfile=${JSON.stringify(join(outputDir, CONSOLE_ASSET_DIR, `${name}.js`))}`,
              ].join(' '),
            ),
          ],
        },
      },
    })
      // Erase deletes the customer's items and records consent withdrawals: read-write on customers.
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      // Publish stores template versions and rollback moves the LATEST pointer; drafts, campaign
      // versions, pauses, the change log, revoked sessions and test-send counts live there too.
      .bindTable(props.catalog, ENV.catalogTable, 'readWrite')
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn)
      .bindSecret(this.adminKey, ENV.adminKeySecretArn)
      .bindSecret(this.consoleSessionKey, ENV.consoleKeySecretArn);
    const integration = new HttpLambdaIntegration('AdminIntegration', this.function);
    // The API (/admin/api/…) and the console's pages and forms: the function routes within.
    addApiRoutes(props.api, API_ROUTES.admin, integration);
  }
}
