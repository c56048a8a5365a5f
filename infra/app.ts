import { App } from 'aws-cdk-lib';
import { stageConfig } from './config';
import { TactfulStack } from './tactfulStack';

const app = new App();
const config = stageConfig(app.node);
new TactfulStack(app, `tactful-${config.stage}`, {
  config,
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  description: 'tactful: personalized e-commerce email that respects the people it writes to',
});
