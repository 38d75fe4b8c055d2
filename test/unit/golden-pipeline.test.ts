import { parse } from 'yaml';
import { detectStack, generatePipeline, pipelineNames } from '../../src/domain/pipelines/golden-pipeline';
import { STACKS, type PipelineOptions, type Stack } from '../../src/domain/pipelines/pipelines.types';
import { DomainError } from '../../src/domain/domain-error';

type Step = { task?: string; script?: string; displayName?: string; condition?: string; inputs?: Record<string, unknown> };
type Job = { job?: string; deployment?: string; environment?: string; steps?: Step[]; strategy?: { runOnce: { deploy: { steps: Step[] } } } };
type Stage = { stage: string; dependsOn?: string; condition?: string; variables?: { group: string }[]; jobs: Job[] };
type Pipeline = { trigger: unknown; pr: unknown; pool: unknown; variables: { name: string; value: string }[]; stages: Stage[] };

const base: PipelineOptions = {
  serviceName: 'payments-api',
  stack: 'node',
  environments: ['dev', 'staging', 'prod'],
  registry: { serviceConnection: 'ACR production', name: 'contoso.azurecr.io' },
};

const load = (options: Partial<PipelineOptions> = {}): { text: string; pipeline: Pipeline } => {
  const text = generatePipeline({ ...base, ...options });
  return { text, pipeline: parse(text) as Pipeline };
};
const stage = (p: Pipeline, name: string): Stage => {
  const s = p.stages.find((x) => x.stage === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const stepsOf = (s: Stage): Step[] => s.jobs.flatMap((j) => j.steps ?? j.strategy?.runOnce.deploy.steps ?? []);
const scripts = (s: Stage): string => stepsOf(s).map((x) => x.script ?? '').join('\n');

const EXPECTED: Record<Stack, { test: RegExp; results: string; audit: RegExp; setup: string }> = {
  'java-spring-boot': { test: /^mvn -B -ntp verify$/m, results: '**/target/surefire-reports/TEST-*.xml', audit: /org\.owasp:dependency-check-maven:check -DfailBuildOnCVSS=7/, setup: 'JavaToolInstaller@0' },
  node: { test: /^npm run test:ci$/m, results: 'test-results/**/*.xml', audit: /^npm audit --audit-level=high$/m, setup: 'NodeTool@0' },
  python: { test: /python -m pytest --junitxml=test-results\/junit\.xml/, results: 'test-results/*.xml', audit: /^pip-audit$/m, setup: 'UsePythonVersion@0' },
};

describe.each(STACKS)('generatePipeline (%s)', (stack) => {
  const { text, pipeline } = load({ stack });
  const expected = EXPECTED[stack];

  it('parses to exactly the expected top level, triggered on main with PR validation', () => {
    expect(Object.keys(pipeline)).toEqual(['trigger', 'pr', 'pool', 'variables', 'stages']);
    expect(pipeline.trigger).toEqual({ branches: { include: ['main'] } });
    expect(pipeline.pr).toEqual({ branches: { include: ['main'] } });
    expect(pipeline.pool).toEqual({ vmImage: 'ubuntu-latest' });
    expect(pipeline.variables).toEqual([
      { name: 'serviceName', value: 'payments-api' },
      { name: 'imageRepository', value: 'payments-api' },
      { name: 'containerRegistry', value: 'contoso.azurecr.io' },
    ]);
  });

  it('stages in order, each depending on the one before', () => {
    expect(pipeline.stages.map((s) => [s.stage, s.dependsOn])).toEqual([
      ['Build', undefined],
      ['Scan', 'Build'],
      ['Containerise', 'Scan'],
      ['Deploy_dev', 'Containerise'],
      ['Deploy_staging', 'Deploy_dev'],
      ['Deploy_prod', 'Deploy_staging'],
    ]);
  });

  it('Build: sets up the toolchain, runs the unit tests and publishes JUnit results even on failure', () => {
    const build = stage(pipeline, 'Build');
    const steps = stepsOf(build);
    expect(steps[0]!.task).toBe(expected.setup);
    expect(scripts(build)).toMatch(expected.test);
    const publish = steps.at(-1)!;
    expect(publish).toMatchObject({
      task: 'PublishTestResults@2',
      condition: 'succeededOrFailed()',
      inputs: { testResultsFormat: 'JUnit', testResultsFiles: expected.results, failTaskOnMissingResultsFile: true },
    });
  });

  it('Scan: a dependency audit job and a static analysis job', () => {
    const scan = stage(pipeline, 'Scan');
    expect(scan.jobs.map((j) => j.job)).toEqual(['DependencyAudit', 'StaticAnalysis']);
    expect(scan.jobs[0]!.steps!.map((s) => s.script ?? '').join('\n')).toMatch(expected.audit);
    expect(scan.jobs[1]!.steps!.map((s) => s.script ?? '').join('\n')).toMatch(/^semgrep scan --config p\/default .* --error/m);
  });

  it('Containerise: Docker@2 buildAndPush to the registry connection, tagged with the build id, never for PRs', () => {
    const containerise = stage(pipeline, 'Containerise');
    expect(containerise.condition).toBe("and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))");
    expect(stepsOf(containerise)).toEqual([
      expect.objectContaining({
        task: 'Docker@2',
        inputs: expect.objectContaining({ command: 'buildAndPush', containerRegistry: 'ACR production', repository: '$(imageRepository)', tags: '$(Build.BuildId)' }),
      }),
    ]);
  });

  it('one deployment job per environment, on <service>-<env> with the <prefix><service>-<env> variable group', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const s = stage(pipeline, `Deploy_${env}`);
      expect(s.variables).toEqual([{ group: `vg-payments-api-${env}` }]);
      expect(s.jobs).toHaveLength(1);
      expect(s.jobs[0]).toMatchObject({ deployment: 'Deploy', environment: `payments-api-${env}` });
      expect(scripts(s)).toContain('$(Build.BuildId)');
    }
  });

  it('prod (and staging) run only from main; dev from any CI run; none for pull requests', () => {
    const main = "eq(variables['Build.SourceBranch'], 'refs/heads/main')";
    expect(stage(pipeline, 'Deploy_prod').condition).toContain(main);
    expect(stage(pipeline, 'Deploy_staging').condition).toContain(main);
    expect(stage(pipeline, 'Deploy_dev').condition).not.toContain(main);
    for (const env of ['dev', 'staging', 'prod']) expect(stage(pipeline, `Deploy_${env}`).condition).toContain("ne(variables['Build.Reason'], 'PullRequest')");
  });

  it('says in a comment, right above the prod stage, that the approval lives on the prod environment', () => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.trim() === '- stage: Deploy_prod');
    expect(lines.slice(at - 2, at).join('\n')).toMatch(/# Production approval: configured on the Azure DevOps environment "payments-api-prod"/);
  });

  it('uses no template expressions and only its own macros', () => {
    expect(text).not.toContain('${{');
    expect(text).not.toContain('$[');
    const macros = new Set([...text.matchAll(/\$\(([^)]*)\)/g)].map((m) => m[1]));
    expect([...macros].sort()).toEqual(['Build.BuildId', 'Build.SourcesDirectory', 'containerRegistry', 'imageRepository', 'serviceName']);
  });
});

describe('generatePipeline: environments', () => {
  const stages = (environments: PipelineOptions['environments']) => load({ environments }).pipeline.stages.map((s) => `${s.stage}<-${s.dependsOn ?? ''}`);

  it('deploys only to the chosen environments, in release order, deduplicated', () => {
    expect(stages(['dev'])).toEqual(['Build<-', 'Scan<-Build', 'Containerise<-Scan', 'Deploy_dev<-Containerise']);
    expect(stages(['staging'])).toEqual(['Build<-', 'Scan<-Build', 'Containerise<-Scan', 'Deploy_staging<-Containerise']);
    expect(stages(['prod', 'staging', 'staging'])).toEqual(['Build<-', 'Scan<-Build', 'Containerise<-Scan', 'Deploy_staging<-Containerise', 'Deploy_prod<-Deploy_staging']);
    expect(load({ environments: ['dev'] }).text).not.toMatch(/Deploy_prod|-prod\b|Deploy_staging/);
  });

  it('refuses prod without staging, and no environment at all', () => {
    expect(() => generatePipeline({ ...base, environments: ['prod'] })).toThrow(/prod but not staging/);
    expect(() => generatePipeline({ ...base, environments: ['dev', 'prod'] })).toThrow(DomainError);
    expect(() => generatePipeline({ ...base, environments: [] })).toThrow(/are empty/);
  });

  it('custom variable group prefix, default branch and image; image repositories are lower case', () => {
    const { pipeline } = load({ serviceName: 'Payments-API', variableGroupPrefix: 'payments.', defaultBranch: 'release/main', vmImage: 'ubuntu-22.04', environments: ['dev', 'staging'] });
    expect(pipeline.trigger).toEqual({ branches: { include: ['release/main'] } });
    expect(pipeline.pool).toEqual({ vmImage: 'ubuntu-22.04' });
    expect(pipeline.variables[1]).toEqual({ name: 'imageRepository', value: 'payments-api' });
    expect(stage(pipeline, 'Deploy_staging').variables).toEqual([{ group: 'payments.Payments-API-staging' }]);
    expect(stage(pipeline, 'Deploy_staging').condition).toContain("'refs/heads/release/main'");
    expect(stage(pipeline, 'Deploy_dev').jobs[0]!.environment).toBe('Payments-API-dev');
  });

  it('pipelineNames lists what the job runner must create', () => {
    expect(pipelineNames({ serviceName: 'svc', environments: ['staging', 'dev'] })).toEqual({
      imageRepository: 'svc',
      environments: [
        { environment: 'dev', azureDevOpsEnvironment: 'svc-dev', variableGroup: 'vg-svc-dev', stage: 'Deploy_dev' },
        { environment: 'staging', azureDevOpsEnvironment: 'svc-staging', variableGroup: 'vg-svc-staging', stage: 'Deploy_staging' },
      ],
    });
  });
});

describe('generatePipeline: hostile input is refused, never written', () => {
  const HOSTILE = [
    'x\n- script: rm -rf /',
    'a: b',
    'svc #x',
    '${{ variables.secret }}',
    '$(System.AccessToken)',
    '$[ variables.x ]',
    "o'k",
    '"q"',
    '&a',
    '*a',
    '---',
    'svc\ntrigger: none',
  ];

  const expectRefused = (options: Partial<PipelineOptions>, field: string) => {
    try {
      generatePipeline({ ...base, ...options } as PipelineOptions);
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('PIPELINES.INVALID_OPTIONS');
      expect(((e as DomainError).details.problems as string[]).join('\n')).toContain(field);
      return;
    }
    throw new Error(`${field} ${JSON.stringify(options)} was accepted`);
  };

  it.each(HOSTILE)('%j', (h) => {
    expectRefused({ serviceName: h }, 'serviceName');
    expectRefused({ registry: { serviceConnection: h, name: 'contoso.azurecr.io' } }, 'registry.serviceConnection');
    expectRefused({ registry: { serviceConnection: 'acr', name: h } }, 'registry.name');
    expectRefused({ variableGroupPrefix: h }, 'variableGroupPrefix');
    expectRefused({ defaultBranch: h }, 'defaultBranch');
    expectRefused({ vmImage: h }, 'vmImage');
  });

  it('refuses unknown stacks and environments from untyped callers', () => {
    expectRefused({ stack: 'cobol' as Stack }, 'stack');
    expectRefused({ environments: ['qa' as 'dev'] }, 'environments');
  });
});

describe('detectStack', () => {
  it.each([
    [['/pom.xml', '/src/main/java/App.java'], 'java-spring-boot'],
    [['build.gradle'], 'java-spring-boot'],
    [['/build.gradle.kts', '/settings.gradle.kts'], 'java-spring-boot'],
    [['/package.json', '/package-lock.json'], 'node'],
    [['/pyproject.toml'], 'python'],
    [['/requirements.txt', '/app.py'], 'python'],
    [['/setup.py'], 'python'],
  ])('%j -> %s', (paths, stack) => {
    expect(detectStack(paths)).toEqual({ stack, candidates: [stack] });
  });

  it('several stacks at the root: candidates, no stack (ask the user)', () => {
    expect(detectStack(['/pom.xml', '/package.json', '/README.md'])).toEqual({ candidates: ['java-spring-boot', 'node'] });
    expect(detectStack(['/package.json', '/requirements.txt', '/build.gradle'])).toEqual({ candidates: ['java-spring-boot', 'node', 'python'] });
  });

  it('nothing recognisable, or only in sub-folders: no candidates', () => {
    expect(detectStack([])).toEqual({ candidates: [] });
    expect(detectStack(['/README.md', '/frontend/package.json', '/tools/requirements.txt'])).toEqual({ candidates: [] });
  });
});
