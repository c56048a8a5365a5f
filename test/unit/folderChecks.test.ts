import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossFolderProblems, validateTemplateInFolder } from '../../functions/publishing/folderChecks';
import { templatesDir } from '../../functions/publishing/templateSource';
import { publishAll } from '../../functions/publishing/publishAll';
import type { CatalogStore } from '../../functions/adapters/dynamo/catalogStore';

/** What only the whole templates/ folder can tell, reported on the folder that has to change. */
describe('checks across template folders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tactful-folders-'));
    cpSync(templatesDir(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const campaignFile = (name: string) => join(dir, name, 'campaign.json');
  const editCampaign = (name: string, change: (c: Record<string, unknown>) => void) => {
    const campaign = JSON.parse(readFileSync(campaignFile(name), 'utf8'));
    change(campaign);
    writeFileSync(campaignFile(name), JSON.stringify(campaign, null, 2));
  };

  it('the shipped templates have no such problem', () => {
    expect([...crossFolderProblems(dir).values()].flat()).toEqual([]);
  });

  it('a campaign id used in two folders is an error on both, each naming the other', async () => {
    const winBackId = JSON.parse(readFileSync(campaignFile('win-back'), 'utf8')).id;
    editCampaign('cross-sell', (c) => (c['id'] = winBackId));
    const crossSell = await validateTemplateInFolder(dir, 'cross-sell');
    expect(crossSell.ok).toBe(false);
    expect(crossSell.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'campaign.json', message: expect.stringContaining('templates/win-back') }),
    );
    const winBack = await validateTemplateInFolder(dir, 'win-back');
    expect(winBack.problems).toContainEqual(expect.objectContaining({ message: expect.stringContaining('templates/cross-sell') }));
    expect((await validateTemplateInFolder(dir, 'abandoned-cart')).ok).toBe(true);
    // Deploying (npm start publishes the folder) fails before writing, naming a folder that has the id.
    const untouched = {} as CatalogStore;
    // (It used to throw naming the campaign id as if it were a folder.)
    await expect(publishAll(dir, untouched, new Date().toISOString())).rejects.toMatchObject({
      template: 'cross-sell',
      message: expect.stringContaining('is also used in templates/win-back'),
    });
  });

  it('a template no campaign sends is a warning, and a step naming a missing template an error', async () => {
    editCampaign('win-back', (c) => {
      (c['steps'] as { template: string }[])[0]!.template = 'win-back-v2';
    });
    const winBack = await validateTemplateInFolder(dir, 'win-back');
    expect(winBack.ok).toBe(false);
    expect(winBack.problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/steps\[0\]\.template: no template named "win-back-v2"/),
      }),
    );
    expect(winBack.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        file: 'template.json',
        message: expect.stringContaining('no campaign sends this template'),
      }),
    );
  });
});
