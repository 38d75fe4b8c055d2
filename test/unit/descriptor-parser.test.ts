/**
 * parseDescriptors: Backstage descriptors (multi-document YAML) -> catalog entities, and every way
 * a document can be rejected (with its location, entity name and a reason naming the field).
 */
import { parseDescriptors, type ParsedDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { describeValidationError } from '../../src/domain/catalog/descriptor-validation';
import { inferLinkType, linkType } from '../../src/domain/catalog/link-types';
import type { CatalogEntityInput } from '../../src/domain/catalog/catalog.types';

const LOC = 'file:/repo/catalog-info.yaml';

const component = (name: string, spec = 'type: service\n  lifecycle: production\n  owner: team-payments', metadata = '') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${metadata}spec:\n  ${spec}\n`;

const parse = (text: string, location = LOC) => parseDescriptors(text, location);
const byRef = (r: ParsedDescriptors, ref: string): CatalogEntityInput => {
  const e = r.entities.find((x) => x.ref === ref);
  if (!e) throw new Error(`no ${ref} in ${r.entities.map((x) => x.ref).join(', ')}`);
  return e;
};

const FULL = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  title: Payments API
  description: Card payments.
  tags: [java, pci]
  annotations:
    dev.azure.com/project-repo: Payments/payments-api
    dev.azure.com/build-definition: payments-api-ci, payments-api-deploy
    idp.dev/aliases: payapi, pay-api,payapi
    idp.dev/tier: tier-1
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Apay%40thread.tacv2/General?groupId=g&tenantId=t
    idp.dev/email: payments@contoso.example
    idp.dev/oncall-rotation: payments-primary
    idp.dev/oncall-current: Alice Developer <alice@contoso.example>
    idp.dev/oncall-escalation: Bob Manager <bob@contoso.example>, grace@contoso.example, "Lead, Night" <night@contoso.example>
  links:
    - url: https://dev.azure.com/contoso/Payments/_git/payments-api
      title: Source
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: payments
  subcomponentOf: checkout
  providesApis: [payments-rest-api]
  consumesApis: [api:fraud/scoring-api]
  dependsOn: [resource:payments-db, ledger-service]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-rest-api
spec:
  type: openapi
  lifecycle: production
  owner: user:bob
  system: payments
  definition: "openapi: 3.0.3"
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: payments-db
spec:
  type: database
  owner: team-payments
  dependencyOf: [payments-api]
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: payments
spec:
  owner: team-payments
  domain: commerce
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: commerce
spec:
  owner: team-payments
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-payments
  annotations:
    graph.microsoft.com/group-id: 10000000-0000-4000-b000-000000000001
spec:
  type: team
  profile: { displayName: Payments, email: payments@contoso.example }
  parent: engineering
  children: []
  members: [alice, user:bob]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
  annotations:
    graph.microsoft.com/user-id: 00000000-0000-4000-a000-000000000001
spec:
  profile: { displayName: Alice Developer, email: alice@contoso.example }
  memberOf: [team-payments]
`;

describe('parseDescriptors: a valid multi-document file', () => {
  let r: ParsedDescriptors;
  beforeAll(async () => {
    r = await parse(FULL);
  });

  it('reads every document into an entity with no problem', () => {
    expect(r.problems).toEqual([]);
    expect(r.entities.map((e) => e.ref)).toEqual([
      'component:default/payments-api',
      'api:default/payments-rest-api',
      'resource:default/payments-db',
      'system:default/payments',
      'domain:default/commerce',
      'group:default/team-payments',
      'user:default/alice',
    ]);
    for (const e of r.entities) expect(e).toMatchObject({ location: LOC, namespace: 'default', sourceHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('maps the Backstage fields and the declaring side of each relation, refs normalised with the default kind per field', () => {
    expect(byRef(r, 'component:default/payments-api')).toMatchObject({
      kind: 'Component',
      name: 'payments-api',
      title: 'Payments API',
      description: 'Card payments.',
      tags: ['java', 'pci'],
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
      system: 'system:default/payments',
      relations: [
        { type: 'ownedBy', target: 'group:default/team-payments' },
        { type: 'partOf', target: 'system:default/payments' },
        { type: 'partOf', target: 'component:default/checkout' },
        { type: 'providesApi', target: 'api:default/payments-rest-api' },
        { type: 'consumesApi', target: 'api:fraud/scoring-api' },
        { type: 'dependsOn', target: 'resource:default/payments-db' },
        { type: 'dependsOn', target: 'component:default/ledger-service' },
      ],
    });
    expect(byRef(r, 'api:default/payments-rest-api')).toMatchObject({ owner: 'user:default/bob', relations: [{ type: 'ownedBy', target: 'user:default/bob' }, { type: 'partOf', target: 'system:default/payments' }] });
    expect(byRef(r, 'resource:default/payments-db').relations).toContainEqual({ type: 'dependencyOf', target: 'component:default/payments-api' });
    expect(byRef(r, 'system:default/payments')).toMatchObject({ domain: 'domain:default/commerce', relations: [{ type: 'ownedBy', target: 'group:default/team-payments' }, { type: 'partOf', target: 'domain:default/commerce' }] });
    expect(byRef(r, 'group:default/team-payments')).toMatchObject({
      type: 'team',
      relations: [
        { type: 'childOf', target: 'group:default/engineering' },
        { type: 'hasMember', target: 'user:default/alice' },
        { type: 'hasMember', target: 'user:default/bob' },
      ],
      members: ['user:default/alice', 'user:default/bob'],
      profile: { displayName: 'Payments', email: 'payments@contoso.example', aadObjectId: '10000000-0000-4000-b000-000000000001' },
      contacts: { email: 'payments@contoso.example' },
    });
    expect(byRef(r, 'user:default/alice')).toMatchObject({
      relations: [{ type: 'memberOf', target: 'group:default/team-payments' }],
      members: ['group:default/team-payments'],
      profile: { displayName: 'Alice Developer', email: 'alice@contoso.example', aadObjectId: '00000000-0000-4000-a000-000000000001' },
      contacts: { email: 'alice@contoso.example' },
    });
  });

  it('reads the idp.dev and dev.azure.com annotations', () => {
    const e = byRef(r, 'component:default/payments-api');
    expect(e.aliases).toEqual(['payapi', 'pay-api']);
    expect(e.tier).toBe('tier-1');
    expect(e.source).toEqual({
      repository: { project: 'Payments', name: 'payments-api', url: 'https://dev.azure.com/contoso/Payments/_git/payments-api' },
      pipelines: ['payments-api-ci', 'payments-api-deploy'],
      secretPrefix: 'payments-api',
    });
    expect(e.contacts).toEqual({ teamsChannelUrl: 'https://teams.microsoft.com/l/channel/19%3Apay%40thread.tacv2/General?groupId=g&tenantId=t', email: 'payments@contoso.example' });
    expect(e.onCall).toEqual({
      rotation: 'payments-primary',
      current: { name: 'Alice Developer', email: 'alice@contoso.example' },
      escalation: [
        { name: 'Bob Manager', email: 'bob@contoso.example', level: 1 },
        { name: 'grace@contoso.example', email: 'grace@contoso.example', level: 2 },
        { name: 'Lead, Night', email: 'night@contoso.example', level: 3 },
      ],
    });
    // Only Components get a default secret prefix; no annotation, no on-call.
    expect(byRef(r, 'api:default/payments-rest-api').source).toEqual({ pipelines: [] });
    expect(byRef(r, 'api:default/payments-rest-api').onCall).toBeUndefined();
  });

  it('leaves absent optional fields out rather than undefined', () => {
    const db = byRef(r, 'resource:default/payments-db');
    expect(Object.keys(db)).not.toContain('title');
    expect(Object.keys(db)).not.toContain('lifecycle');
    expect(Object.keys(db)).not.toContain('onCall');
    expect(Object.keys(db.contacts)).toEqual([]);
  });
});

describe('parseDescriptors: annotations and conventions', () => {
  it('uses the idp.dev/keyvault-secret-prefix annotation over the default', async () => {
    const r = await parse(component('payments-api', undefined, '  annotations:\n    idp.dev/keyvault-secret-prefix: pay\n'));
    expect(r.entities[0]?.source.secretPrefix).toBe('pay');
  });

  it('takes the repository from where the descriptor was read when it has no project-repo annotation (Components only)', async () => {
    const repository = { project: 'Payments', name: 'payments-web', url: 'https://dev.azure.com/contoso/Payments/_git/payments-web' };
    const r = await parseDescriptors(component('payments-web') + '---\n' + component('x', undefined).replace('Component', 'Resource').replace('lifecycle: production\n  ', ''), 'azure-devops:Payments/payments-web', { repository });
    expect(r.problems).toEqual([]);
    expect(r.entities[0]?.source.repository).toEqual(repository);
    expect(r.entities[1]?.source.repository).toBeUndefined();
  });

  it('inherits the entity namespace for shorthand refs and lower-cases refs', async () => {
    const r = await parse(component('Orders-API', 'type: service\n  lifecycle: production\n  owner: Team-Orders\n  dependsOn: [Group:Other/Platform, resource:orders-db]', '  namespace: shop\n'));
    expect(r.problems).toEqual([]);
    expect(r.entities[0]).toMatchObject({
      ref: 'component:shop/orders-api',
      name: 'Orders-API',
      namespace: 'shop',
      owner: 'group:shop/team-orders',
      relations: [
        { type: 'ownedBy', target: 'group:shop/team-orders' },
        { type: 'dependsOn', target: 'group:other/platform' },
        { type: 'dependsOn', target: 'resource:shop/orders-db' },
      ],
    });
  });

  it('hashes the document, not its formatting: same content in another layout, same sourceHash', async () => {
    const block = await parse(component('payments-api', 'type: service\n  lifecycle: production\n  owner: team-payments\n  dependsOn:\n    - resource:db'));
    const flow = await parse(
      `# reformatted\nkind: Component\napiVersion: "backstage.io/v1alpha1"\nspec: { owner: team-payments, dependsOn: [resource:db], lifecycle: production, type: service }\nmetadata: { name: payments-api }\n`,
    );
    const changed = await parse(component('payments-api', 'type: service\n  lifecycle: deprecated\n  owner: team-payments\n  dependsOn:\n    - resource:db'));
    expect(flow.entities[0]?.sourceHash).toBe(block.entities[0]?.sourceHash);
    expect(changed.entities[0]?.sourceHash).not.toBe(block.entities[0]?.sourceHash);
  });

  it('collects the file targets of Location documents and notes the URL targets it does not follow', async () => {
    const r = await parse(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: everything
spec:
  target: ./team-a/catalog-info.yaml
  targets: [../platform, https://github.com/contoso/x/blob/main/catalog-info.yaml]
---
${component('payments-api')}`);
    expect(r.entities.map((e) => e.name)).toEqual(['payments-api']);
    expect(r.locationTargets).toEqual(['./team-a/catalog-info.yaml', '../platform']);
    expect(r.problems).toEqual([]); // a valid Location rejects nothing: the URL target it does not follow is a note
    expect(r.notes).toEqual([{ location: LOC, entity: 'everything', message: expect.stringContaining('is a URL, not followed') }]);
    expect(r.unidentifiedProblems).toBe(false);
  });

  it('skips empty documents and empty files', async () => {
    expect(await parse('')).toMatchObject({ entities: [], problems: [] });
    expect((await parse(`---\n${component('a')}---\n`)).entities).toHaveLength(1);
  });
});

describe('parseDescriptors: invalid documents are problems, the others are kept', () => {
  const INVALID: [what: string, doc: string, entity: string | undefined, reason: RegExp][] = [
    ['a missing required spec field', component('no-owner', 'type: service\n  lifecycle: production'), 'no-owner', /^spec\.owner is required/],
    ['a field of the wrong type', component('owner-number', 'type: service\n  lifecycle: production\n  owner: 5'), 'owner-number', /^spec\.owner must be string/],
    ['an invalid name', component('Bad Name!'), 'Bad Name!', /"metadata\.name" is not valid/],
    ['an invalid tag', component('bad-tag', undefined, '  tags: [Not Valid]\n'), 'bad-tag', /"tags\.0" is not valid/],
    ['an invalid link URL', component('bad-link', undefined, '  links:\n    - url: not a url\n'), 'bad-link', /"links\.0\.url" is not valid/],
    ['a missing apiVersion', 'kind: Component\nmetadata:\n  name: no-api-version\nspec: {}\n', 'no-api-version', /^apiVersion is required/],
    ['a plugin kind with an invalid name', 'apiVersion: example.com/v1\nkind: Scorecard\nmetadata:\n  name: bad name\nspec: {}\n', 'bad name', /"metadata\.name" is not valid/],
    ['a known kind in an apiVersion Backstage has no validator for', 'apiVersion: backstage.io/v2\nkind: Component\nmetadata:\n  name: v2\nspec: { type: service, lifecycle: production, owner: x }\n', 'v2', /^apiVersion "backstage\.io\/v2" is not supported for kind Component/],
    ['tags: null (Backstage tolerates a null annotations only)', component('null-tags', undefined, '  tags:\n'), 'null-tags', /^metadata\.tags must be array/],
    ['a namespace in capitals', component('ns', undefined, '  namespace: Alternative\n'), 'ns', /"metadata\.namespace" is not valid/],
    ['a foreign root field', `${component('foreign')}extra: 1\n`, 'foreign', /^document: unknown field "extra"/],
    ['a non-string annotation', component('annot', undefined, '  annotations:\n    idp.dev/tier: 1\n'), 'annot', /^metadata\.annotations\["idp\.dev\/tier"\] must be string/],
    ['a document that is not a mapping', '- just\n- a list\n', undefined, /^document is not a mapping/],
    ['an on-call person with a bad email', component('oncall', undefined, '  annotations:\n    idp.dev/oncall-current: Bob <not-an-email>\n'), 'oncall', /^metadata\.annotations\["idp\.dev\/oncall-current"\]: expected an email address, got "not-an-email"/],
    ['a Teams channel that is not https', component('channel', undefined, '  annotations:\n    idp.dev/teams-channel-url: http://teams.example/x\n'), 'channel', /^metadata\.annotations\["idp\.dev\/teams-channel-url"\]: expected an https URL/],
    ['a project-repo without a project', component('repo', undefined, '  annotations:\n    dev.azure.com/project-repo: payments-api\n'), 'repo', /^metadata\.annotations\["dev\.azure\.com\/project-repo"\]: expected "Project\/repository"/],
    ['a group profile email that is not one', 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-x\nspec:\n  type: team\n  children: []\n  profile: { email: nope }\n', 'team-x', /^spec\.profile\.email: expected an email address/],
    ['a ref that is not one', component('bad-ref', 'type: service\n  lifecycle: production\n  owner: "group:"'), 'bad-ref', /^spec\.owner: /],
  ];

  it.each(INVALID)('%s', async (_what, doc, entity, reason) => {
    const r = await parse(`${component('before')}---\n${doc}---\n${component('after')}`);
    expect(r.entities.map((e) => e.name)).toEqual(['before', 'after']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toEqual({ location: LOC, ...(entity ? { entity } : {}), reason: expect.stringMatching(reason) });
    expect(r.problems[0]?.reason).toMatch(/\(document 2\)$/);
  });

  it('reports a YAML syntax error in one document with its line, and keeps the others (same hashes as when the file is valid)', async () => {
    const valid = await parse(`${component('before')}---\n${component('middle')}---\n${component('after')}`);
    const broken = await parse(`${component('before')}---\nkind: Component\nmetadata:\n  name: broken\n  tags: [unclosed\n---\n${component('after')}`);
    expect(broken.entities.map((e) => e.name)).toEqual(['before', 'after']);
    expect(broken.problems).toEqual([{ location: LOC, entity: 'broken', reason: expect.stringMatching(/^invalid YAML: .* at line \d+, column \d+ \(document 2\)$/) }]);
    // The documents around it read the same through the fallback parser.
    expect(broken.entities.map((e) => e.sourceHash)).toEqual([valid.entities[0]?.sourceHash, valid.entities[2]?.sourceHash]);
  });

  it('names the rejected entities it can (their stored version is kept) and flags documents it cannot', async () => {
    const r = await parse(`${component('no-owner', 'type: service\n  lifecycle: production')}---\n- not a mapping\n`);
    expect(r.rejectedRefs).toEqual(['component:default/no-owner']);
    expect(r.unidentifiedProblems).toBe(true);
    const named = await parse(component('no-owner', 'type: service\n  lifecycle: production'));
    expect(named.unidentifiedProblems).toBe(false);
    expect(named.problems[0]?.reason).toBe('spec.owner is required'); // one document: no "(document n)"
  });

  it('rejects an entity defined twice in one file, keeping the first', async () => {
    const r = await parse(`${component('twice')}---\n${component('twice', 'type: website\n  lifecycle: production\n  owner: team-web')}`);
    expect(r.entities).toHaveLength(1);
    expect(r.entities[0]?.type).toBe('service');
    expect(r.problems).toEqual([{ location: LOC, entity: 'twice', reason: 'component:default/twice is defined twice in this file (first in document 1) (document 2)' }]);
    expect(r.rejectedRefs).toEqual([]);
  });
});

describe('link types', () => {
  it.each([
    ['Payments dashboard', 'https://x.example/a', 'dashboard'],
    ['Grafana', 'https://x.example/a', 'dashboard'],
    ['Logs', 'https://x.example/a', 'logs'],
    ['Kibana', 'https://x.example/a', 'logs'],
    ['Log Analytics workspace', 'https://x.example/a', 'logs'],
    ['Runbook', 'https://x.example/a', 'runbook'],
    ['Swagger UI', 'https://x.example/a', 'api'],
    ['OpenAPI document', 'https://x.example/a', 'api'],
    ['Docs', 'https://x.example/a', 'docs'],
    ['Team wiki', 'https://x.example/a', 'docs'],
    [undefined, 'https://grafana.contoso.example/d/payments', 'dashboard'],
    [undefined, 'https://logs.contoso.example/app/payments', 'logs'],
    [undefined, 'https://runbooks.contoso.example/payments', 'runbook'],
    [undefined, 'https://dev.azure.com/contoso/Payments/_git/payments-api', 'repository'],
    [undefined, 'https://dev.azure.com/contoso/Payments/_build?definitionId=1', 'pipeline'],
    ['Status page', 'https://status.example/payments', 'other'],
  ] as const)('%s %s -> %s', (title, url, expected) => {
    expect(linkType({ url, title })).toBe(expected);
  });

  it("uses the link's own type first, mapped onto ours", () => {
    expect(linkType({ url: 'https://x.example', title: 'Logs', type: 'runbook' })).toBe('runbook');
    expect(linkType({ url: 'https://x.example', title: 'Logs', type: 'admin-dashboard' })).toBe('dashboard');
    expect(inferLinkType('DOCS')).toBe('docs');
  });

  it('titles an untitled link with its host name', async () => {
    const r = await parse(component('svc', undefined, '  links:\n    - url: https://grafana.contoso.example/d/svc\n'));
    expect(r.entities[0]?.links).toEqual([{ url: 'https://grafana.contoso.example/d/svc', title: 'grafana.contoso.example', type: 'dashboard' }]);
  });
});

describe('describeValidationError', () => {
  it('says Backstage messages plainly', () => {
    expect(describeValidationError("/spec must have required property 'owner' - missingProperty: owner")).toBe('spec.owner is required');
    expect(describeValidationError('<root> must NOT have additional properties - additionalProperty: extra')).toBe('document: unknown field "extra"');
    expect(describeValidationError('/spec/owner must be string - type: string')).toBe('spec.owner must be string');
    expect(describeValidationError('"metadata.name" is not valid; expected x but found "y". To learn more about catalog file format, visit: https://x')).toBe('"metadata.name" is not valid; expected x but found "y".');
  });
});
