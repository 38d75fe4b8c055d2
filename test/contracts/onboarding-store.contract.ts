/**
 * What every OnboardingStore must do, run against the in-memory fake (test/unit/onboarding-store.contract.test.ts)
 * and the Mongo adapter on the run's store (test/integration/onboarding-store.contract.int.test.ts).
 */
import type { OnboardingStore } from '../../src/domain/onboarding/onboarding-store.port';
import type { Grant, NewOnboardingRecord } from '../../src/domain/onboarding/onboarding.types';

export interface OnboardingStoreFixture {
  store: OnboardingStore;
  close(): Promise<void>;
}

const t0 = new Date('2031-03-02T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const JOINER = { id: 'aad-frank', userPrincipalName: 'frank@contoso.example', name: 'Frank Newjoiner' };

export const newRecord = (extra: Partial<NewOnboardingRecord> = {}): NewOnboardingRecord => ({
  id: '64b7f0c2a1d3e4f5a6b7c8d9',
  joiner: JOINER,
  team: { ref: 'group:default/team-payments', name: 'team-payments', displayName: 'Payments' },
  role: 'backend-java',
  startDate: '2031-03-09',
  buddy: { id: 'aad-alice', userPrincipalName: 'alice@contoso.example', name: 'Alice Developer' },
  manager: { id: 'aad-bob', userPrincipalName: 'bob@contoso.example', name: 'Bob Manager', source: 'directory-manager' },
  requester: { id: 'aad-paula', userPrincipalName: 'paula@contoso.example', name: 'Paula Head' },
  approvedBy: { id: 'aad-bob', name: 'Bob Manager' },
  checklist: [
    { id: 'c-sign-in', text: 'Sign in to Teams' },
    { id: 'c.clone$api', text: 'Clone payments-api' },
    { id: 'c-on-call', text: 'Join the on-call rotation payments-primary' },
  ],
  downloadToken: 'tok-0123456789abcdef',
  createdAt: t0,
  ...extra,
});

const team: Grant = { kind: 'workspace', target: { kind: 'team', teamId: 'team-1', name: 'Payments' }, at: at(1) };
const channel: Grant = { kind: 'workspace', target: { kind: 'channel', teamId: 'team-1', channelId: 'ch-9', name: 'Incidents', membershipType: 'private' }, at: at(1) };
const group: Grant = { kind: 'workspace', target: { kind: 'group', groupId: 'grp-3', name: 'payments-readers' }, at: at(2) };
const entitlement: Grant = { kind: 'devops-entitlement', accessLevel: 'express', at: at(3) };
const devopsGroup: Grant = { kind: 'devops-group', group: { project: 'Payments', group: 'projectContributor' }, at: at(3) };

export function onboardingStoreContract(name: string, makeFixture: () => Promise<OnboardingStoreFixture>): void {
  describe(`Onboarding store contract: ${name}`, () => {
    let f: OnboardingStoreFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f?.close();
    });

    it('a created record is provisioning, with no grants and no delivery, and reads back whole', async () => {
      const { record, created } = await f.store.create(newRecord());
      expect(created).toBe(true);
      expect(record).toEqual({ ...newRecord(), state: 'provisioning', grants: [], welcome: { attempts: 0 }, updatedAt: t0 });
      expect(await f.store.get(record.id)).toEqual(record);
      const { buddy: _none, ...noBuddy } = newRecord({ id: 'r-no-buddy' });
      const other = await f.store.create(noBuddy);
      expect(other.record).not.toHaveProperty('buddy');
      expect(await f.store.get('r-no-buddy')).toEqual(other.record);
    });

    it('create is idempotent by id: the second returns the first untouched; twenty at once make one', async () => {
      const first = await f.store.create(newRecord());
      expect(await f.store.create(newRecord({ role: 'sre', downloadToken: 'other' }))).toEqual({ record: first.record, created: false });
      const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => f.store.create(newRecord({ id: 'racing', role: `role-${i}` }))));
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.record.role)).size).toBe(1);
      expect((await f.store.get('racing'))?.role).toBe(racing.find((r) => r.created)?.record.role);
    });

    it('an unknown record reads as null and every change on it answers null', async () => {
      expect(await f.store.get('nope')).toBeNull();
      expect(await f.store.addGrants('nope', [team])).toBeNull();
      expect(await f.store.markActive('nope', at(1))).toBeNull();
      expect(await f.store.markOffboarded('nope', at(1))).toBeNull();
      expect(await f.store.setWelcome('nope', { attempts: 1 })).toBeNull();
      expect(await f.store.setChecklistItem('nope', 'c-sign-in', { at: at(1), by: 'aad-frank' })).toBeNull();
    });

    it('grants are kept once by grantKey, in the order first recorded, with their first time', async () => {
      const { record } = await f.store.create(newRecord());
      const first = await f.store.addGrants(record.id, [team, channel, team]);
      expect(first?.grants).toEqual([team, channel]);
      expect(first?.updatedAt).toEqual(at(1));
      const again = await f.store.addGrants(record.id, [{ ...channel, at: at(9) }, group, entitlement, devopsGroup, { kind: 'devops-group', group: { project: 'PAYMENTS', group: 'projectContributor' }, at: at(4) }]);
      expect(again?.grants).toEqual([team, channel, group, entitlement, devopsGroup]);
      expect(await f.store.addGrants(record.id, [])).toEqual(again);
      expect(await f.store.get(record.id)).toEqual(again);
    });

    it('two adds of the same grants at once keep each grant once', async () => {
      const { record } = await f.store.create(newRecord());
      const results = await Promise.all([f.store.addGrants(record.id, [team, channel]), f.store.addGrants(record.id, [team, channel]), f.store.addGrants(record.id, [channel, group])]);
      expect(results.every((r) => r !== null)).toBe(true);
      const stored = await f.store.get(record.id);
      expect(stored?.grants).toHaveLength(3);
      expect(stored?.grants).toEqual(expect.arrayContaining([team, channel, group]));
    });

    it('active moves on from provisioning only; offboarded closes it once and leaves activeFor', async () => {
      const { record } = await f.store.create(newRecord());
      const active = await f.store.markActive(record.id, at(5));
      expect(active).toEqual(expect.objectContaining({ state: 'active', activeAt: at(5), updatedAt: at(5) }));
      const off = await f.store.markOffboarded(record.id, at(60));
      expect(off).toEqual(expect.objectContaining({ state: 'offboarded', offboardedAt: at(60), updatedAt: at(60) }));
      expect(await f.store.markOffboarded(record.id, at(90))).toEqual(off);
      expect(await f.store.markActive(record.id, at(95))).toEqual(off);
      expect(await f.store.activeFor(JOINER.id)).toEqual([]);
    });

    it('activeFor: the joiner\'s open records, newest first, narrowed to a team when asked', async () => {
      const older = await f.store.create(newRecord({ id: 'r-old', createdAt: at(0) }));
      const search = await f.store.create(newRecord({ id: 'r-search', createdAt: at(10), team: { ref: 'group:default/team-search', name: 'team-search', displayName: 'Search' } }));
      await f.store.create(newRecord({ id: 'r-closed', createdAt: at(20) }));
      await f.store.markOffboarded('r-closed', at(30));
      await f.store.create(newRecord({ id: 'r-someone-else', createdAt: at(40), joiner: { ...JOINER, id: 'aad-henry' } }));
      expect((await f.store.activeFor(JOINER.id)).map((r) => r.id)).toEqual([search.record.id, older.record.id]);
      expect((await f.store.activeFor(JOINER.id, 'group:default/team-payments')).map((r) => r.id)).toEqual(['r-old']);
      expect(await f.store.activeFor('aad-nobody')).toEqual([]);
    });

    it('checklist items tick and untick by id (whatever characters the id has); an unknown item is null', async () => {
      const { record } = await f.store.create(newRecord());
      const ticked = await f.store.setChecklistItem(record.id, 'c.clone$api', { at: at(7), by: 'aad-frank' });
      expect(ticked?.checklist).toEqual([newRecord().checklist[0], { id: 'c.clone$api', text: 'Clone payments-api', doneAt: at(7), doneBy: 'aad-frank' }, newRecord().checklist[2]]);
      expect(ticked?.updatedAt).toEqual(at(7));
      const both = await f.store.setChecklistItem(record.id, 'c-on-call', { at: at(8), by: 'aad-frank' });
      expect(both?.checklist.filter((i) => i.doneAt).map((i) => i.id)).toEqual(['c.clone$api', 'c-on-call']);
      const unticked = await f.store.setChecklistItem(record.id, 'c.clone$api', null);
      expect(unticked?.checklist[1]).toEqual({ id: 'c.clone$api', text: 'Clone payments-api' });
      expect(await f.store.setChecklistItem(record.id, 'c-unknown', { at: at(9), by: 'aad-frank' })).toBeNull();
      expect((await f.store.get(record.id))?.checklist).toEqual(unticked?.checklist);
    });

    it('setWelcome replaces the delivery; welcomesWaitingFor lists tried, undelivered, open records', async () => {
      const { record } = await f.store.create(newRecord({ id: 'r-1', createdAt: at(0) }));
      await f.store.create(newRecord({ id: 'r-2', createdAt: at(1) }));
      await f.store.create(newRecord({ id: 'r-3', createdAt: at(2) }));
      expect(await f.store.welcomesWaitingFor(JOINER.id)).toEqual([]);
      const waiting = await f.store.setWelcome(record.id, { attempts: 1, waitingReason: 'CONVERSATION.NOT_INSTALLED' });
      expect(waiting?.welcome).toEqual({ attempts: 1, waitingReason: 'CONVERSATION.NOT_INSTALLED' });
      await f.store.setWelcome('r-2', { attempts: 2, waitingReason: 'CONVERSATION.NOT_INSTALLED' });
      await f.store.setWelcome('r-3', { attempts: 1, waitingReason: 'CONVERSATION.NOT_INSTALLED' });
      await f.store.markOffboarded('r-3', at(5));
      expect((await f.store.welcomesWaitingFor(JOINER.id)).map((r) => r.id)).toEqual(['r-2', 'r-1']);
      const delivered = await f.store.setWelcome(record.id, { attempts: 2, deliveredAt: at(10), conversationId: 'a:1', activityId: 'act-7' });
      expect(delivered?.welcome).toEqual({ attempts: 2, deliveredAt: at(10), conversationId: 'a:1', activityId: 'act-7' });
      expect((await f.store.welcomesWaitingFor(JOINER.id)).map((r) => r.id)).toEqual(['r-2']);
      expect(await f.store.welcomesWaitingFor('aad-henry')).toEqual([]);
      // The periodic retry sees every joiner's waiting welcome, least recently tried first.
      await f.store.create(newRecord({ id: 'r-4', joiner: { ...JOINER, id: 'aad-other' }, createdAt: at(3) }));
      expect(await f.store.welcomesWaiting(10)).toHaveLength(1);
      await f.store.setWelcome('r-4', { attempts: 1, waitingReason: 'CONVERSATION.INSTALL_FORBIDDEN' });
      const all = await f.store.welcomesWaiting(10);
      expect(all.map((r) => r.id).sort()).toEqual(['r-2', 'r-4']);
      expect(all[0]!.updatedAt.getTime()).toBeLessThanOrEqual(all[1]!.updatedAt.getTime());
      expect((await f.store.welcomesWaiting(1)).map((r) => r.id)).toEqual([all[0]!.id]);
    });

    it('what a caller does with a returned record never changes what is stored', async () => {
      const { record } = await f.store.create(newRecord());
      record.checklist[0]!.text = 'changed';
      record.grants.push(team);
      expect(await f.store.get(record.id)).toEqual(expect.objectContaining({ checklist: newRecord().checklist, grants: [] }));
    });
  });
}
