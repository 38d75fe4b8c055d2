/** Onboarding settings: the defaults and what a YAML file may replace, with bad files refused naming the field. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../src/domain/domain-error';
import { ACCESS_LEVELS } from '../../src/domain/onboarding/devops-access.port';
import { DEFAULT_ONBOARDING_SETTINGS, parseOnboardingSettings, roleOf } from '../../src/domain/onboarding/onboarding-settings';

const refusal = (text: string): { code: string; problems: string[] } => {
  try {
    parseOnboardingSettings(text, 'onboarding.yaml');
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, problems: e.details.problems as string[] };
    throw e;
  }
  throw new Error('accepted');
};

describe('the default onboarding settings', () => {
  const roles = DEFAULT_ONBOARDING_SETTINGS.roles;

  it('have the roles the issue names, each with tools and a dev container image', () => {
    expect(Object.keys(roles)).toEqual(expect.arrayContaining(['backend-java', 'backend-node', 'frontend-node', 'data-python', 'sre']));
    for (const role of Object.values(roles)) {
      expect(role.tools.length).toBeGreaterThan(0);
      expect(role.devcontainer.image).toMatch(/^mcr\.microsoft\.com\/devcontainers\//);
    }
    expect(DEFAULT_ONBOARDING_SETTINGS.devopsAccessLevel).toBe('express');
    expect(DEFAULT_ONBOARDING_SETTINGS.requesterGroups).toEqual(['people-ops', 'platform-engineers']);
    expect(DEFAULT_ONBOARDING_SETTINGS.checklist.length).toBeGreaterThanOrEqual(5);
  });

  it('use the versions the golden pipelines build with (JDK 21, Node.js 22, Python 3.12)', () => {
    const steps = (file: string) => readFileSync(path.join(__dirname, '../../src/domain/pipelines/steps', file), 'utf8');
    const jdk = /versionSpec: '(\d+)'/.exec(steps('java-spring-boot.steps.ts'))![1];
    const node = /versionSpec: '(\d+)\.x'/.exec(steps('node.steps.ts'))![1];
    const python = /versionSpec: '([\d.]+)'/.exec(steps('python.steps.ts'))![1];
    const version = (role: string, tool: string) => roles[role]!.tools.find((t) => t.name === tool)?.version;
    expect(version('backend-java', 'JDK')).toBe(jdk);
    expect(roles['backend-java']!.devcontainer.image).toContain(`-${jdk}-`);
    expect([version('backend-node', 'Node.js'), version('frontend-node', 'Node.js')]).toEqual([node, node]);
    expect(roles['backend-node']!.devcontainer.image).toContain(`-${node}-`);
    expect(version('data-python', 'Python')).toBe(python);
    expect(roles['data-python']!.devcontainer.image).toContain(`-${python}-`);
  });
});

describe('parseOnboardingSettings', () => {
  it('an empty file is the defaults', () => {
    expect(parseOnboardingSettings('', 'onboarding.yaml')).toEqual(DEFAULT_ONBOARDING_SETTINGS);
  });

  it('each key given replaces its default whole; the others stay', () => {
    const settings = parseOnboardingSettings(
      [
        'roles:',
        '  mobile:',
        '    title: Mobile engineer',
        '    stack: node',
        '    tools: [{ name: Node.js, version: "22" }]',
        '    devcontainer:',
        '      image: mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm',
        '      features: { "ghcr.io/devcontainers/features/github-cli:1": { version: latest } }',
        '      postCreateCommand: npm ci',
        'guides: [{ title: Handbook, url: "https://wiki.contoso.example/handbook" }]',
        'devopsAccessLevel: stakeholder',
        'requesterGroups: [hr-onboarding]',
      ].join('\n'),
      'onboarding.yaml',
    );
    expect(Object.keys(settings.roles)).toEqual(['mobile']);
    expect(settings.roles.mobile).toEqual({
      title: 'Mobile engineer',
      stack: 'node',
      tools: [{ name: 'Node.js', version: '22' }],
      devcontainer: { image: 'mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm', features: { 'ghcr.io/devcontainers/features/github-cli:1': { version: 'latest' } }, extensions: [], postCreateCommand: 'npm ci' },
    });
    expect(settings.guides).toEqual([{ title: 'Handbook', url: 'https://wiki.contoso.example/handbook' }]);
    expect(settings.devopsAccessLevel).toBe('stakeholder');
    expect(settings.requesterGroups).toEqual(['hr-onboarding']);
    expect(settings.checklist).toEqual(DEFAULT_ONBOARDING_SETTINGS.checklist);
  });

  it.each([
    ['devopsAccessLevel: basic', 'devopsAccessLevel'],
    ['roles: { sre: { title: SRE, tools: [{ name: kubectl }], devcontainer: { image: x } } }', 'roles.sre.tools.0.version'],
    ['roles: { Bad_Role: { title: x, tools: [], devcontainer: { image: x } } }', 'roles.Bad_Role'],
    ['roles: { sre: { title: SRE, stack: go, tools: [], devcontainer: { image: x } } }', 'roles.sre.stack'],
    ['guides: [{ title: Wiki, url: "javascript:alert(1)" }]', 'guides.0.url'],
    ['checklist: [""]', 'checklist.0'],
    ['checklis: [a]', '(top level)'],
    ['roles: {}', 'roles'],
  ])('%s is refused naming %s', (text, field) => {
    const { code, problems } = refusal(text);
    expect(code).toBe('ONBOARDING.SETTINGS_INVALID');
    expect(problems.some((p) => p.startsWith(`${field}:`))).toBe(true);
  });

  it('text that is not YAML is refused as such', () => {
    expect(refusal('roles: [unclosed').problems[0]).toMatch(/^not YAML/);
  });

  it('the access levels offered are the ones Azure DevOps has', () => {
    for (const level of ACCESS_LEVELS) expect(parseOnboardingSettings(`devopsAccessLevel: ${level}`, 'f').devopsAccessLevel).toBe(level);
  });
});

describe('roleOf', () => {
  it('finds a role, and refuses an unknown one listing the roles there are (never an inherited property)', () => {
    expect(roleOf(DEFAULT_ONBOARDING_SETTINGS, 'sre').title).toBe('Site reliability engineer');
    for (const role of ['designer', 'constructor', '__proto__']) {
      expect(() => roleOf(DEFAULT_ONBOARDING_SETTINGS, role)).toThrow(expect.objectContaining({ code: 'ONBOARDING.UNKNOWN_ROLE', details: expect.objectContaining({ roles: Object.keys(DEFAULT_ONBOARDING_SETTINGS.roles) }) }));
    }
  });
});
