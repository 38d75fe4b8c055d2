/** Fixing from the digest card: the YAML edit (comments and layout survive, the result validates) and the actions' rules (who, stale cards, idempotent pull requests, audit). */
import { parse, parseAllDocuments } from 'yaml';
import { editDescriptor, validateAsBackstageReads } from '../../src/domain/catalog-digest/descriptor-edit';
import { fixBranch, HealthActionsService } from '../../src/domain/catalog-digest/health-actions.service';
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { validateDescriptor } from '../../src/domain/catalog/descriptor-validation';
import type { CatalogStore } from '../../src/domain/catalog/catalog-store.port';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryFixRecordStore } from '../fakes/in-memory-digest-stores';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../fakes/in-memory-health-stores';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';
import { entity, finding, LINK_HOSTS, RULES, run, TEAM, teamHealth } from '../fixtures/digest-fixtures';

const TARGET = { kind: 'Component', namespace: 'default', name: 'payments-web' };

const DESCRIPTOR = `# catalog-info.yaml of Payments/payments-web: owned by the payments team.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-web   # the checkout UI
  title: Payments web
  annotations:
  #  idp.dev/tier: tier-2   (decided in Q3)
  links:
    - url: https://grafana.contoso.example/d/payments-web # the main board
      title: Payments web dashboard
spec:
  type: website
  lifecycle: experimental # until the launch
  owner: team-payments
  dependsOn: [component:payments-api]   # flow style stays flow
---
# a second document: never touched
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: payments-web-api}
spec: {type: openapi, lifecycle: production, owner: team-payments, definition: "openapi: 3.0.0"}
`;

describe('editDescriptor', () => {
  it('adds a runbook link: every comment, the flow styles and the other document survive; the result parses and validates', async () => {
    const { text, changed } = await editDescriptor(DESCRIPTOR, TARGET, { kind: 'runbook', url: 'https://runbooks.contoso.example/payments-web', title: 'Runbook' }, '/catalog-info.yaml');
    expect(changed).toBe(true);
    for (const comment of ['# catalog-info.yaml of Payments/payments-web', '# the checkout UI', '#  idp.dev/tier: tier-2   (decided in Q3)', '# the main board', '# until the launch', '# flow style stays flow', '# a second document: never touched']) expect(text).toContain(comment);
    expect(text).toContain('dependsOn: [ component:payments-api ]');
    expect(text.slice(text.indexOf('# a second document'))).toBe(DESCRIPTOR.slice(DESCRIPTOR.indexOf('# a second document')));
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs).toHaveLength(2);
    expect(docs[0].metadata.links).toEqual([{ url: 'https://grafana.contoso.example/d/payments-web', title: 'Payments web dashboard' }, { url: 'https://runbooks.contoso.example/payments-web', title: 'Runbook', type: 'runbook' }]);
    await expect(validateAsBackstageReads(docs[0])).resolves.toBeUndefined();
    await expect(validateDescriptor({ ...docs[0], metadata: { ...docs[0].metadata, annotations: {} } })).resolves.toBeUndefined();
  });

  it('an annotation under an empty `annotations:` keeps the commented-out lines there', async () => {
    const { text } = await editDescriptor(DESCRIPTOR, TARGET, { kind: 'on-call', rotation: 'payments-primary' }, '/catalog-info.yaml');
    const doc = parse(text.slice(0, text.indexOf('---')));
    expect(doc.metadata.annotations).toEqual({ 'idp.dev/oncall-rotation': 'payments-primary' });
    expect(text).toContain('#  idp.dev/tier: tier-2   (decided in Q3)');
  });

  it('replaces a value in place, keeping its trailing comment; the same value again is no change', async () => {
    const { text } = await editDescriptor(DESCRIPTOR, TARGET, { kind: 'lifecycle', lifecycle: 'production' }, '/catalog-info.yaml');
    expect(text).toContain('lifecycle: production # until the launch');
    await expect(editDescriptor(text, TARGET, { kind: 'lifecycle', lifecycle: 'production' }, '/catalog-info.yaml')).resolves.toEqual({ text, changed: false });
  });

  it('refuses an edit whose result Backstage would reject, and a file without the entity', async () => {
    const noType = DESCRIPTOR.replace('  type: website\n', '');
    await expect(editDescriptor(noType, TARGET, { kind: 'owner', owner: 'group:default/team-search' }, '/catalog-info.yaml')).rejects.toMatchObject({ code: 'DIGEST.EDIT_INVALID', details: { reason: 'spec.type is required' } });
    await expect(editDescriptor(DESCRIPTOR, { ...TARGET, name: 'other' }, { kind: 'owner', owner: 'group:default/team-search' }, '/catalog-info.yaml')).rejects.toMatchObject({ code: 'DIGEST.ENTITY_NOT_IN_FILE' });
  });
});

describe('HealthActionsService', () => {
  const alice = entity('user:default/alice', { profile: { aadObjectId: 'u-alice' } });
  const dave = entity('user:default/dave', { profile: { aadObjectId: 'u-dave' } });
  const payments = entity(TEAM, { kind: 'Group', profile: { displayName: 'Payments' }, members: [alice.ref] });
  const search = entity('group:default/team-search', { kind: 'Group', members: [dave.ref] });
  const WEB = 'component:default/payments-web';
  const web = entity(WEB, { owner: TEAM, location: 'azure-devops:Payments/payments-web' });
  const fileOnly = entity('component:default/ledger', { owner: TEAM, location: 'file:/catalog/ledger.yaml' });
  const asAlice = { actor: { id: 'u-alice', name: 'Alice' }, activityId: 'act-1' };
  const asDave = { actor: { id: 'u-dave', name: 'Dave' } };
  const runbook = { team: TEAM, ref: WEB, ruleId: 'production-runbook-missing' as const };

  async function setup(entities: CatalogEntity[] = [alice, dave, payments, search, web, fileOnly]) {
    const catalog = { get: async (ref: string) => entities.find((e) => e.ref === ref) ?? null, getMany: async (refs: string[]) => entities.filter((e) => refs.includes(e.ref)) };
    const ado = new InMemoryAzureDevOps(DEMO_PROJECTS);
    ado.putFile('Payments', 'payments-web', '/catalog-info.yaml', DESCRIPTOR);
    const runs = new InMemoryHealthRunStore();
    await runs.saveRun(run('w2', '2026-12-07T08:00:00Z'), [teamHealth('w2', [finding(WEB, 'production-runbook-missing'), finding(WEB, 'owner-missing'), finding(fileOnly.ref, 'production-runbook-missing'), finding(WEB, 'descriptor-stale')])]);
    const waivers = new InMemoryHealthWaiverStore();
    const audit = new InMemoryAuditLog();
    const fixes = new InMemoryFixRecordStore();
    const service = new HealthActionsService({
      catalog,
      policy: new TeamAccessPolicy({ catalog: catalog as unknown as CatalogStore, platformGroups: [] }),
      runs,
      waivers,
      fixes,
      audit,
      rules: RULES,
      sourceControl: ado,
      provisioning: ado,
      linkHosts: LINK_HOSTS,
      clock: () => new Date('2026-12-07T10:00:00Z'),
    });
    return { service, ado, waivers, audit, fixes, runs };
  }

  it('Fix by a member: one pull request on a branch per entity and rule, whose catalog-info.yaml validates and keeps its comments', async () => {
    const { service, ado, audit, fixes } = await setup();
    const outcome = await service.fix(asAlice, runbook, 'https://runbooks.contoso.example/payments-web');
    expect(outcome).toMatchObject({ kind: 'pull-request', created: true, record: { ref: WEB, ruleId: 'production-runbook-missing', branch: fixBranch(web, 'production-runbook-missing') } });
    expect(ado.pullRequests).toHaveLength(1);
    const pushed = (await ado.readFile('Payments', 'payments-web', '/catalog-info.yaml', fixBranch(web, 'production-runbook-missing')))!;
    expect(pushed).toContain('# the checkout UI');
    await expect(validateAsBackstageReads(parseAllDocuments(pushed)[0]!.toJS())).resolves.toBeUndefined();
    await expect(ado.readFile('Payments', 'payments-web', '/catalog-info.yaml', 'main')).resolves.toBe(DESCRIPTOR); // the default branch is untouched
    await expect(fixes.get(WEB, 'production-runbook-missing')).resolves.toMatchObject({ pullRequestId: ado.pullRequests[0]!.id });
    expect(audit.entries).toEqual([expect.objectContaining({ actor: 'u-alice', action: 'catalog-health.fix', target: `${WEB}#production-runbook-missing`, result: 'success', activityId: 'act-1' })]);
  });

  it('a double click or a Teams retry opens one pull request, also when both arrive at once', async () => {
    const { service, ado } = await setup();
    const [a, b] = await Promise.all([service.fix(asAlice, runbook, 'https://runbooks.contoso.example/x'), service.fix(asAlice, runbook, 'https://runbooks.contoso.example/x')]);
    const again = await service.fix(asAlice, runbook, 'https://runbooks.contoso.example/x');
    expect(ado.pullRequests).toHaveLength(1);
    expect([a, b, again].map((o) => (o.kind === 'pull-request' ? o.record.pullRequestId : 0))).toEqual([1, 1, 1].map(() => ado.pullRequests[0]!.id));
    expect(again).toMatchObject({ created: false });
  });

  it('a non-member is refused, audited as denied, and nothing changes', async () => {
    const { service, ado, waivers, audit } = await setup();
    await expect(service.fix(asDave, runbook, 'https://runbooks.contoso.example/x')).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    await expect(service.snooze(asDave, runbook)).rejects.toMatchObject({ code: 'ACCESS.DENIED', details: { reason: expect.stringContaining('not a member of the team Payments') } });
    await expect(service.notApplicable(asDave, runbook, 'a batch job')).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(ado.pullRequests).toHaveLength(0);
    await expect(waivers.forEntities([WEB])).resolves.toEqual([]);
    expect(audit.entries.map((e) => [e.action, e.result])).toEqual([['catalog-health.fix', 'denied'], ['catalog-health.snooze', 'denied'], ['catalog-health.not-applicable', 'denied']]);
  });

  it('Snooze 30 days and Not applicable (a reason required) set waivers, audited', async () => {
    const { service, waivers, audit } = await setup();
    await expect(service.snooze(asAlice, runbook)).resolves.toMatchObject({ kind: 'snooze', until: new Date('2027-01-06T10:00:00Z'), by: { id: 'u-alice' } });
    await expect(service.notApplicable(asAlice, { ...runbook, ruleId: 'owner-missing' }, '  ')).rejects.toMatchObject({ code: 'DIGEST.REASON_REQUIRED' });
    await service.notApplicable(asAlice, { ...runbook, ruleId: 'owner-missing' }, 'owned by the vendor, see the contract');
    expect((await waivers.forEntities([WEB])).map((w) => [w.ruleId, w.kind, w.reason])).toEqual([['production-runbook-missing', 'snooze', undefined], ['owner-missing', 'not-applicable', 'owned by the vendor, see the contract']]);
    expect(audit.entries.map((e) => [e.action, e.result])).toEqual([['catalog-health.snooze', 'success'], ['catalog-health.not-applicable', 'failure'], ['catalog-health.not-applicable', 'success']]);
  });

  it('a stale card: a check that passes in the latest run, or an entity that is gone, gets a clear refusal', async () => {
    const { service, runs } = await setup();
    await runs.saveRun(run('w3', '2026-12-08T08:00:00Z'), [teamHealth('w3', [finding(WEB, 'owner-missing')])]);
    await expect(service.snooze(asAlice, runbook)).rejects.toMatchObject({ code: 'DIGEST.CHECK_PASSES', details: { entity: 'payments-web', rule: 'Production service without a runbook' } });
    const gone = await setup([alice, payments]);
    await expect(gone.service.fix(asAlice, runbook, 'https://runbooks.contoso.example/x')).rejects.toMatchObject({ code: 'DIGEST.ENTITY_GONE' });
  });

  it('bad input is refused before anything is read or pushed', async () => {
    const { service, ado } = await setup();
    await expect(service.fix(asAlice, runbook, 'http://runbooks.contoso.example/x')).rejects.toMatchObject({ code: 'DIGEST.URL_NOT_HTTPS' });
    await expect(service.fix(asAlice, runbook, 'https://evil.example/x')).rejects.toMatchObject({ code: 'DIGEST.URL_HOST_NOT_ALLOWED', details: { host: 'evil.example' } });
    await expect(service.fix(asAlice, runbook, '')).rejects.toMatchObject({ code: 'DIGEST.VALUE_REQUIRED' });
    await expect(service.fix(asAlice, { ...runbook, ruleId: 'owner-missing' }, 'group:default/toast-infra')).rejects.toMatchObject({ code: 'DIGEST.OWNER_UNKNOWN' });
    await expect(service.fix(asAlice, { ...runbook, ruleId: 'dependency-orphaned' }, 'x')).rejects.toMatchObject({ code: 'DIGEST.NOT_FIXABLE' });
    expect(ado.pullRequests).toHaveLength(0);
    // An owner the catalog knows, written as a shorthand: the full ref goes into the file.
    await service.fix(asAlice, { ...runbook, ruleId: 'owner-missing' }, 'team-search');
    expect(await ado.readFile('Payments', 'payments-web', '/catalog-info.yaml', fixBranch(web, 'owner-missing'))).toContain('owner: group:default/team-search');
  });

  it('an entity imported from a file, not Azure DevOps: the YAML to add by hand, no pull request', async () => {
    const { service, ado } = await setup();
    const outcome = await service.fix(asAlice, { ...runbook, ref: fileOnly.ref }, 'https://runbooks.contoso.example/ledger');
    expect(outcome).toEqual({ kind: 'by-hand', location: 'file:/catalog/ledger.yaml', snippet: 'metadata:\n  links:\n    - url: https://runbooks.contoso.example/ledger\n      title: Runbook\n      type: runbook\n' });
    expect(ado.pullRequests).toHaveLength(0);
  });
});
