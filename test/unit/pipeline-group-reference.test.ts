/** azure-pipelines.yml gains `- group: vg-<service>-<env>-secrets` in one stage, edited with the yaml Document API. */
import { parseDocument } from 'yaml';
import { generatePipeline } from '../../src/domain/pipelines/golden-pipeline';
import { addGroupToStage } from '../../src/domain/secrets/pipeline-group-reference';

const golden = generatePipeline({ serviceName: 'payments-api', stack: 'node', environments: ['dev', 'staging', 'prod'], registry: { serviceConnection: 'ACR', name: 'contoso.azurecr.io' } });
const GROUP = 'vg-payments-api-dev-secrets';
type Stage = { stage: string; variables?: unknown };
const stages = (text: string) => (parseDocument(text).toJS() as { stages: Stage[] }).stages;

describe('addGroupToStage', () => {
  it("adds the group to the golden pipeline's Deploy_dev stage only, keeping its comments and the other stages", () => {
    const edit = addGroupToStage(golden, 'Deploy_dev', GROUP);
    if (edit.change !== 'added') throw new Error(`not added: ${JSON.stringify(edit)}`);
    const s = stages(edit.text);
    expect(s.find((x) => x.stage === 'Deploy_dev')!.variables).toEqual([{ group: 'vg-payments-api-dev' }, { group: GROUP }]);
    expect(s.find((x) => x.stage === 'Deploy_staging')!.variables).toEqual([{ group: 'vg-payments-api-staging' }]);
    expect(edit.text).toContain(`- group: "${GROUP}"`);
    // The golden file's comments survive (the production approval note, the pr: note).
    for (const line of golden.split('\n').filter((l) => l.trim().startsWith('#'))) expect(edit.text).toContain(line.trim());
    expect(edit.text.split('\n').length).toBe(golden.split('\n').length + 1);
  });

  it('changes nothing when the stage, or the whole pipeline, reads the group already (whatever its case)', () => {
    const once = addGroupToStage(golden, 'Deploy_dev', GROUP);
    expect(addGroupToStage((once as { text: string }).text, 'Deploy_dev', GROUP.toUpperCase())).toEqual({ change: 'unchanged' });
    expect(addGroupToStage(`variables:\n  - group: ${GROUP}\nstages:\n  - stage: Deploy_dev\n`, 'Deploy_dev', GROUP)).toEqual({ change: 'unchanged' });
  });

  it('creates the variables list of a stage that has none', () => {
    const edit = addGroupToStage('stages:\n  - stage: Deploy_dev\n    jobs: []\n', 'Deploy_dev', GROUP);
    expect(edit.change).toBe('added');
    expect(stages((edit as { text: string }).text)[0]).toEqual({ stage: 'Deploy_dev', jobs: [], variables: [{ group: GROUP }] });
  });

  it.each([
    ['no file', null, 'has no azure-pipelines.yml'],
    ['broken YAML', 'stages: [\n', 'not readable YAML'],
    ['no stages (a template decides)', 'extends:\n  template: t.yml\n', 'no list of stages'],
    ['no such stage', 'stages:\n  - stage: Build\n', 'no stage Deploy_dev'],
    ['variables as a map', 'stages:\n  - stage: Deploy_dev\n    variables:\n      LOG_LEVEL: debug\n', 'name: value map'],
  ])('refuses, with the reason, %s', (_, text, reason) => {
    const edit = addGroupToStage(text, 'Deploy_dev', GROUP);
    expect(edit.change).toBe('refused');
    expect((edit as { reason: string }).reason).toContain(reason);
  });
});
