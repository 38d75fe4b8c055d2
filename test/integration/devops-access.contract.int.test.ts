/**
 * The DevOpsAccess contract against the real adapter (azure-devops-node-api's authenticated REST
 * client, real HTTP) + the Azure DevOps stand-in, whose entitlements host listens on another
 * loopback address (127.0.0.2), so it is another origin by host name as vsaex.dev.azure.com is.
 * Then what only the adapter can show: the PAT on both hosts, retries, failure mapping, and the
 * service's own behaviours (a POST would overwrite an access level; search matches parts of names).
 */
import { WebApi, getPersonalAccessTokenHandler } from 'azure-devops-node-api';
import { AzureDevOpsUserAccess } from '../../src/adapters/azure-devops/azure-devops-user-access.adapter';
import { DEMO_ORG } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { CONTRACT_ACCESS, devOpsAccessContract } from '../contracts/devops-access.contract';
import { domainFailure } from '../helpers/domain-failure';

const TOKEN = 'entitlements-test-pat-do-not-log';
const FAST = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const HENRY = 'henry@contoso.example';

async function startStandIn(seed: Partial<ConstructorParameters<typeof AzureDevOpsStandIn>[0]> = {}): Promise<AzureDevOpsStandIn> {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, ...CONTRACT_ACCESS, entitlementsHostname: '127.0.0.2', ...seed });
  await standIn.start(0);
  return standIn;
}

const adapterFor = (standIn: AzureDevOpsStandIn) =>
  new AzureDevOpsUserAccess({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: FAST, requestTimeoutMs: 500 }, { entitlementsUrl: standIn.entitlementsUrl });

devOpsAccessContract('AzureDevOpsUserAccess + stand-in', async () => {
  const standIn = await startStandIn();
  return { access: adapterFor(standIn), close: () => standIn.close() };
});

describe('AzureDevOpsUserAccess against the stand-in', () => {
  let standIn: AzureDevOpsStandIn;
  let adapter: AzureDevOpsUserAccess;
  const vsaex = () => standIn.entitlementsHost.requests;
  const calls = (method: string, path: RegExp) => vsaex().filter((r) => r.method === method && path.test(r.path));

  beforeEach(async () => {
    standIn = await startStandIn();
    adapter = adapterFor(standIn);
  });
  afterEach(() => standIn.close());

  it('sends the PAT to the entitlements host (another host name and port) as to the main host, and calls entitlements only there', async () => {
    await adapter.grant(HENRY, 'express', [{ project: 'Payments', group: 'projectContributor' }]);
    expect(new URL(standIn.entitlementsUrl).hostname).toBe('127.0.0.2');
    expect(new URL(standIn.collectionUrl).hostname).toBe('127.0.0.1');
    expect(vsaex().length).toBeGreaterThanOrEqual(2);
    for (const r of vsaex()) expect(r).toMatchObject({ headers: expect.objectContaining({ authorization: 'Basic [redacted]' }) });
    expect(vsaex().every((r) => r.status < 400)).toBe(true);
    expect(standIn.requests.some((r) => /userentitlements/i.test(r.path))).toBe(false);
    expect(standIn.requests.some((r) => /\/_apis\/projects\/Payments$/i.test(r.path))).toBe(true);
  });

  it('(the check above can fail) a PAT handler that keeps credentials to one origin reaches the entitlements host without them: 401', async () => {
    const api = new WebApi(standIn.collectionUrl, getPersonalAccessTokenHandler(TOKEN, false));
    await (await api.getCoreApi()).getProject('Payments');
    const e = (await api.rest.get(`${standIn.entitlementsUrl}/_apis/userentitlements?api-version=7.1-preview.3`).catch((err: unknown) => err)) as { statusCode?: number };
    expect(e.statusCode).toBe(401);
    expect(vsaex().at(-1)?.headers.authorization).toBeUndefined();
  });

  it('never POSTs for someone already in the organisation: the service would overwrite their access level', async () => {
    const direct = await fetch(`${standIn.entitlementsUrl}/_apis/userentitlements?api-version=7.1-preview.3`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ accessLevel: { accountLicenseType: 'express', licensingSource: 'account' }, user: { principalName: 'carol@contoso.example', subjectKind: 'user' } }),
    });
    expect(await direct.json()).toMatchObject({ isSuccess: true, userEntitlement: { accessLevel: { accountLicenseType: 'express' } } });
    standIn.entitlementsHost.requests.length = 0;

    await adapter.grant('dave@contoso.example', 'advanced', [{ project: 'Payments', group: 'projectContributor' }]);
    expect(calls('POST', /userentitlements$/i)).toHaveLength(0);
    expect(calls('PATCH', /userentitlements\/[0-9a-f-]+$/i)).toHaveLength(1);
    expect(standIn.state.entitlements.find((e) => e.principalName === 'dave@contoso.example')?.accountLicenseType).toBe('stakeholder');
  });

  it('finds the person on a later page of a search whose name filter matches many', async () => {
    const lookalikes = Array.from({ length: 120 }, (_, i) => ({ principalName: `a${i}.henry@contoso.example`, displayName: `Henry ${i}`, originId: `00000000-0000-4000-a000-1${String(i).padStart(11, '0')}`, enabled: true }));
    await standIn.close();
    standIn = await startStandIn({
      principals: [...CONTRACT_ACCESS.principals, ...lookalikes],
      entitlements: [...lookalikes.map((l) => ({ principalName: l.principalName, accountLicenseType: 'express', groups: [] })), { principalName: HENRY, accountLicenseType: 'stakeholder', groups: [] }],
    });
    adapter = adapterFor(standIn);
    expect(await adapter.entitlementOf(HENRY)).toMatchObject({ principalName: HENRY, accessLevel: 'stakeholder' });
    expect(calls('GET', /userentitlements$/i).map((r) => /continuationToken=/.test(r.query))).toEqual([false, true]);
  });

  it('retries a 429 (Retry-After) on the search and on the create, and creates the entitlement once', async () => {
    standIn.entitlementsHost.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 1, method: 'GET', path: '/userentitlements$' });
    standIn.entitlementsHost.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 1, method: 'POST', path: '/userentitlements$' });
    const grant = await adapter.grant(HENRY, 'express', [{ project: 'Payments', group: 'projectContributor' }]);
    expect(grant.entitlementCreated).toBe(true);
    expect(calls('GET', /userentitlements$/i).map((r) => r.status)).toEqual([429, 200]);
    expect(calls('POST', /userentitlements$/i).map((r) => r.status)).toEqual([429, 200]);
    expect(standIn.state.entitlements.filter((e) => e.principalName === HENRY)).toHaveLength(1);
  });

  it('a create whose answer was lost is retried and still reports the entitlement as created', async () => {
    standIn.entitlementsHost.addFault({ kind: 'drop', afterHandler: true, times: 1, method: 'POST', path: '/userentitlements$' });
    const grant = await adapter.grant(HENRY, 'express', [{ project: 'Search', group: 'projectReader' }]);
    expect(grant).toMatchObject({ entitlementCreated: true, groupsAdded: [{ project: 'Search', group: 'projectReader' }] });
    expect(calls('POST', /userentitlements$/i).map((r) => r.status)).toEqual([0, 200]);
    expect(standIn.state.entitlements.filter((e) => e.principalName === HENRY)).toHaveLength(1);
  });

  it('maps 403 to UPSTREAM.FORBIDDEN naming the permission (never the token), persistent 503 to UPSTREAM.UNAVAILABLE', async () => {
    standIn.entitlementsHost.addFault({ kind: 'status', status: 403, method: 'PATCH' });
    const forbidden = await domainFailure(adapter.grant('dave@contoso.example', 'express', [{ project: 'Payments', group: 'projectReader' }]));
    expect(forbidden.code).toBe('UPSTREAM.FORBIDDEN');
    expect(forbidden.message).toContain('Member Entitlement Management (Read & write)');
    expect(JSON.stringify({ m: forbidden.message, d: forbidden.details })).not.toContain(TOKEN);
    expect(calls('PATCH', /./)).toHaveLength(1);
    standIn.entitlementsHost.clearFaults();
    standIn.entitlementsHost.requests.length = 0;
    standIn.entitlementsHost.addFault({ kind: 'status', status: 503, method: 'GET', path: '/userentitlements$' });
    expect((await domainFailure(adapter.entitlementOf(HENRY))).code).toBe('UPSTREAM.UNAVAILABLE');
    expect(calls('GET', /userentitlements$/i)).toHaveLength(FAST.maxAttempts);
  });

  it('keeps the organisation refusal reason for the card (ONBOARDING.DEVOPS_USER_REFUSED)', async () => {
    const e = await domainFailure(adapter.grant('nobody@contoso.example', 'express', []));
    expect(e.code).toBe('ONBOARDING.DEVOPS_USER_REFUSED');
    expect(e.details).toMatchObject({ reason: expect.stringContaining('cannot be found'), errorKeys: ['5102'] });
  });

  it('resolves each project through the core API once (cached)', async () => {
    await adapter.grant(HENRY, 'express', [{ project: 'Payments', group: 'projectContributor' }]);
    await adapter.grant('dave@contoso.example', 'express', [{ project: 'payments', group: 'projectReader' }]);
    await adapter.revoke(HENRY, { entitlement: false, groups: [{ project: 'Payments', group: 'projectContributor' }] });
    expect(standIn.requests.filter((r) => r.method === 'GET' && /\/_apis\/projects\//i.test(r.path))).toHaveLength(1);
  });
});

describe('the entitlements host', () => {
  let standIn: AzureDevOpsStandIn;
  beforeAll(async () => (standIn = await startStandIn()));
  afterAll(() => standIn.close());
  const url = (suffix: string) => `${standIn.entitlementsUrl}/_apis/userentitlements${suffix}`;
  const auth = { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}` };

  it('answers 401 without credentials, 400 without an api-version, 415 to a PATCH that is not JSON Patch', async () => {
    expect((await fetch(url('?api-version=7.1-preview.3'))).status).toBe(401);
    expect((await fetch(url(''), { headers: auth })).status).toBe(400);
    const dave = standIn.state.entitlements.find((e) => e.principalName === 'dave@contoso.example')!;
    const patch = await fetch(url(`/${dave.id}?api-version=7.1-preview.3`), { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: '[]' });
    expect(patch.status).toBe(415);
  });

  it('answers a search with members and items (the same list), a continuation token and the total', async () => {
    const page = (await (await fetch(url(`?$filter=${encodeURIComponent("name eq 'contoso.example'")}&api-version=7.1-preview.3`), { headers: auth })).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ continuationToken: null, totalCount: 3 });
    expect(page.items).toEqual(page.members);
  });
});
