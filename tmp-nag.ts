import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { stageConfig } from './infra/config';
import { TactfulStack } from './infra/tactfulStack';
const outdir = mkdtempSync('/tmp/nag-');
const app = new App({ outdir, context: { sesIdentity: 'shop.example.com' } });
new TactfulStack(app, 'nag', { config: stageConfig(app.node), env: { account: '111111111111', region: 'eu-central-1' } });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try { app.synth(); console.log('synth ok'); } catch (e: any) { console.log('synth threw', String(e.message).slice(0, 300)); }
console.log(readdirSync(outdir));
const report = JSON.parse(readFileSync(outdir + '/policy-validation-report.json', 'utf8'));
console.log(JSON.stringify(report).slice(0, 1500));
