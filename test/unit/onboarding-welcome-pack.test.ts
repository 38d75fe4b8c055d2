/** The joiner's dev environment and welcome content, from the demo catalog's Payments team and from edge-case shapes. */
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { devEnvironment, devcontainerText, repositoriesOf } from '../../src/domain/onboarding/dev-environment';
import { DEFAULT_ONBOARDING_SETTINGS } from '../../src/domain/onboarding/onboarding-settings';
import { checklistId, MAX_CHECKLIST, MAX_DOCS, welcomeContent } from '../../src/domain/onboarding/welcome-content';
import { teamEntries, welcomePackFor } from '../../src/domain/onboarding/welcome-pack';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { seedCatalog } from '../helpers/repo-fakes';

const PAYMENTS = { ref: 'group:default/team-payments', name: 'team-payments', displayName: 'Payments' };

async function demoCatalog() {
  const catalog = new InMemoryCatalogStore();
  await seedCatalog(catalog);
  const index = new InMemoryCatalogSearch(catalog);
  await index.build();
  return { catalog, index };
}

const entity = (over: Partial<CatalogEntity> & Pick<CatalogEntity, 'ref' | 'kind' | 'name'>): CatalogEntity => ({
  namespace: 'default', tags: [], aliases: [], relations: [], contacts: {}, links: [], source: { pipelines: [] }, members: [], location: 'file:/x.yaml', sourceHash: 'h', status: 'active', deployments: [], revision: 1, updatedAt: new Date(0), ...over,
});
const team = entity({ ref: 'group:default/team-x', kind: 'Group', name: 'team-x', profile: { displayName: 'Team X' } });
const component = (name: string, repo: { project: string; name: string; url?: string } | undefined, over: Partial<CatalogEntity> = {}) =>
  entity({ ref: `component:default/${name}`, kind: 'Component', name, owner: team.ref, source: { pipelines: [], ...(repo ? { repository: repo } : {}) }, ...over });

describe('the Payments joiner (demo catalog)', () => {
  it('gets the team\'s two repositories, the Java tools, and a devcontainer.json that clones them', async () => {
    const { environment } = await welcomePackFor({ ...(await demoCatalog()), settings: DEFAULT_ONBOARDING_SETTINGS })({ team: PAYMENTS, role: 'backend-java' });
    expect(environment.repositories.map((r) => [r.project, r.name, r.cloneUrl])).toEqual([
      ['Payments', 'payments-api', 'https://dev.azure.com/contoso/Payments/_git/payments-api'],
      ['Payments', 'payments-web', 'https://dev.azure.com/contoso/Payments/_git/payments-web'],
    ]);
    expect(environment.tools).toEqual(DEFAULT_ONBOARDING_SETTINGS.roles['backend-java']!.tools);
    const json = JSON.parse(devcontainerText(environment.devcontainer));
    expect(json).toEqual({
      name: 'Payments: Backend engineer (Java)',
      image: 'mcr.microsoft.com/devcontainers/java:1-21-bookworm',
      features: expect.objectContaining({ 'ghcr.io/devcontainers/features/java:1': { version: '21', installMaven: true, mavenVersion: '3.9' } }),
      customizations: { vscode: { extensions: expect.arrayContaining(['vscjava.vscode-java-pack']) } },
      postCreateCommand:
        "(test -d /workspaces/payments-api/.git || git clone 'https://dev.azure.com/contoso/Payments/_git/payments-api' /workspaces/payments-api) && (test -d /workspaces/payments-web/.git || git clone 'https://dev.azure.com/contoso/Payments/_git/payments-web' /workspaces/payments-web)",
    });
    expect(devcontainerText(environment.devcontainer).endsWith('}\n')).toBe(true);
  });

  it('gets the team\'s links, its services\' runbooks and the guides, and a checklist with the team\'s own items', async () => {
    const { content } = await welcomePackFor({ ...(await demoCatalog()), settings: DEFAULT_ONBOARDING_SETTINGS })({ team: PAYMENTS, role: 'backend-node' });
    expect(content.docs.map((d) => [d.source, d.title])).toEqual([
      ['team', 'Payments overview'],
      ['team', 'Payments runbooks'],
      ['service', 'Stuck settlements runbook'],
      ['service', 'Payments API runbook'],
      ['service', 'Refunds runbook'],
      ['guide', 'Engineering handbook'],
      ['guide', 'Golden paths: repositories and pipelines'],
    ]);
    expect(content.docs.some((d) => /dashboard|logs/i.test(d.title) && d.source === 'service')).toBe(false);
    expect(content.onCallRotation).toBe('payments-primary');
    expect(content.checklist.map((i) => i.text)).toEqual([...DEFAULT_ONBOARDING_SETTINGS.checklist, 'Clone payments-api', 'Clone payments-web', 'Join the on-call rotation payments-primary']);
    expect(content.checklist.every((i) => i.id === checklistId(i.text) && /^c[0-9a-f]{12}$/.test(i.id))).toBe(true);
  });

  it('a team gone from the catalog and an unknown role are refused in words', async () => {
    const deps = { ...(await demoCatalog()), settings: DEFAULT_ONBOARDING_SETTINGS };
    await expect(welcomePackFor(deps)({ team: { ...PAYMENTS, ref: 'group:default/team-gone' }, role: 'sre' })).rejects.toMatchObject({ code: 'ONBOARDING.TEAM_NOT_IN_CATALOG' });
    await expect(welcomePackFor(deps)({ team: PAYMENTS, role: 'astronaut' })).rejects.toMatchObject({ code: 'ONBOARDING.UNKNOWN_ROLE' });
    await expect(teamEntries(deps, 'user:default/alice')).rejects.toMatchObject({ code: 'ONBOARDING.TEAM_NOT_IN_CATALOG' });
  });
});

describe('repositories to clone', () => {
  it('one per project/name (any case), sorted; orphaned, other owners\', API and URL-less ones left out; a base URL fills a missing URL', () => {
    const owned = [
      component('web', { project: 'X', name: 'web', url: 'https://dev.azure.com/contoso/X/_git/web' }),
      component('api', { project: 'X', name: 'api' }),
      component('api-worker', { project: 'x', name: 'API' }),
      component('old', { project: 'X', name: 'old', url: 'https://dev.azure.com/contoso/X/_git/old' }, { status: 'orphaned' }),
      component('theirs', { project: 'X', name: 'theirs', url: 'https://dev.azure.com/contoso/X/_git/theirs' }, { owner: 'group:default/other' }),
      component('spec', { project: 'X', name: 'spec', url: 'https://dev.azure.com/contoso/X/_git/spec' }, { kind: 'API' }),
      component('no-repo', undefined),
      component('quote', { project: 'X', name: 'quote', url: "https://dev.azure.com/contoso/X/_git/q';rm -rf ~;'" }),
    ];
    expect(repositoriesOf(team, owned).map((r) => r.name)).toEqual(['web']);
    const withBase = repositoriesOf(team, owned, 'https://dev.azure.com/contoso/');
    expect(withBase.map((r) => [r.name, r.cloneUrl, r.entities])).toEqual([
      ['api', 'https://dev.azure.com/contoso/X/_git/api', ['component:default/api', 'component:default/api-worker']],
      ['web', 'https://dev.azure.com/contoso/X/_git/web', ['component:default/web']],
    ]);
  });

  it('no repositories: no clone command, only the role\'s own postCreateCommand', () => {
    const role = { ...DEFAULT_ONBOARDING_SETTINGS.roles.sre!, devcontainer: { ...DEFAULT_ONBOARDING_SETTINGS.roles.sre!.devcontainer, postCreateCommand: 'az version' } };
    expect(devEnvironment({ roleId: 'sre', role, team, owned: [] }).devcontainer.postCreateCommand).toBe('az version');
    expect(devEnvironment({ roleId: 'sre', role: DEFAULT_ONBOARDING_SETTINGS.roles.sre!, team, owned: [] }).devcontainer).not.toHaveProperty('postCreateCommand');
  });
});

describe('welcome content', () => {
  it('deduplicates docs by URL, caps them and counts the rest; many repositories make one summary item', () => {
    const links = (n: number, host: string) => Array.from({ length: n }, (_, i) => ({ url: `https://${host}/doc-${i}`, title: `Doc ${i}`, type: 'docs' as const }));
    const group = { ...team, links: [{ url: 'https://wiki.example/team/', title: 'Team wiki', type: 'docs' as const }], onCall: { rotation: 'x-primary', escalation: [] } };
    const owned = [component('a', undefined, { links: [{ url: 'https://WIKI.example/team#intro', title: 'Same wiki', type: 'docs' }, ...links(15, 'docs.example')] })];
    const repositories = Array.from({ length: 8 }, (_, i) => ({ project: 'X', name: `repo-${i}`, cloneUrl: '', webUrl: '', entities: [] }));
    const content = welcomeContent({ team: group, owned, repositories, guides: [{ title: 'Guide', url: 'https://docs.example/doc-0' }], checklist: ['Say hello', 'say   HELLO'] });
    expect(content.docs).toHaveLength(MAX_DOCS);
    expect(content.docs[0]).toEqual({ title: 'Team wiki', url: 'https://wiki.example/team/', source: 'team' });
    expect(content.docsOmitted).toBe(16 - MAX_DOCS);
    expect(content.checklist.map((i) => i.text)).toEqual(['say HELLO', 'Clone repo-0', 'Clone repo-1', 'Clone repo-2', 'Clone repo-3', 'Clone repo-4', 'Clone the other 3 repositories of the team', 'Join the on-call rotation x-primary']);
    const long = welcomeContent({ team, owned: [], repositories: [], guides: [], checklist: Array.from({ length: 40 }, (_, i) => `Step ${i}`) });
    expect(long.checklist).toHaveLength(MAX_CHECKLIST);
    expect(long).not.toHaveProperty('onCallRotation');
  });
});
