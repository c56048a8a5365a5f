import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from '../../infra/config';
import { TactfulStack } from '../../infra/tactfulStack';

/** cdk-nag's AwsSolutions pack: no unacknowledged finding, and every acknowledgement says why. */
describe('cdk-nag AwsSolutions', () => {
  it.each(['dev', 'prod'])('passes the %s stack with every acknowledgement explained', (stage) => {
    const outdir = mkdtempSync(join(tmpdir(), 'tactful-nag-'));
    const app = new App({ outdir, context: { sesIdentity: 'shop.example.com', stage } });
    new TactfulStack(app, `nag-${stage}`, { config: stageConfig(app.node), env: { account: '111111111111', region: 'eu-central-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Synthesis fails on any unacknowledged error.
    expect(() => app.synth()).not.toThrow();

    const acknowledged = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .map((m) => [c.node.path, m.data as Record<string, string>] as const),
      );
    const rules = new Set(acknowledged.flatMap(([, data]) => Object.keys(data).map((id) => id.replace(/\[.*$/, ''))));
    expect([...rules].map((r) => r.replace(/^.*::/, '')).sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-COG3',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
    ]);
    for (const [, data] of acknowledged) for (const reason of Object.values(data)) expect(reason.length).toBeGreaterThan(40);
  });

  it('does fail synthesis on a finding nobody acknowledged', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'tactful-nag-')) });
    const stack = new Stack(app, 'careless');
    new Secret(stack, 'Unrotated');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
  });
});
