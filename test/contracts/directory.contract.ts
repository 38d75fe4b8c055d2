/**
 * What every Directory must do, run against the in-memory fake and against GraphDirectory + the
 * Graph stand-in (test/integration/directory.contract.int.test.ts), so the fake cannot drift.
 * The data is the demo organisation (src/sandbox/seed/demo-org.ts).
 */
import type { Directory } from '../../src/domain/access/directory.port';
import { isDomainError } from '../../src/domain/domain-error';
import { DEMO_GROUPS, DEMO_TEAMS, userBySlug } from '../../src/sandbox/seed/demo-org';

export interface DirectoryFixture {
  directory: Directory;
  /** Adds a group to the backing store; members are user ids or group ids (nesting). */
  addGroup(group: { id: string; displayName: string; memberIds: string[] }): Promise<void>;
  /** Back to the demo organisation. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const alice = userBySlug('alice');
const bob = userBySlug('bob');
const carol = userBySlug('carol');
const frank = userBySlug('frank');
const paula = userBySlug('paula');
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const platform = DEMO_TEAMS.find((t) => t.name === 'team-platform')!;
const platformEngineers = DEMO_GROUPS.find((g) => g.displayName === 'platform-engineers')!;
const UNKNOWN_ID = '99999999-0000-4000-a000-000000000999';

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

export function directoryContract(name: string, open: () => Promise<DirectoryFixture>): void {
  describe(`Directory contract: ${name}`, () => {
    let f: DirectoryFixture;
    beforeAll(async () => {
      f = await open();
    });
    afterAll(async () => {
      await f?.close();
    });
    beforeEach(async () => {
      await f.reset();
    });

    it('gets a user by object id with the fields policy needs', async () => {
      await expect(f.directory.getUser(alice.id)).resolves.toEqual({
        id: alice.id,
        userPrincipalName: alice.userPrincipalName,
        displayName: 'Alice Developer',
        mail: alice.userPrincipalName,
        jobTitle: 'Software Engineer',
        department: 'Payments',
        accountEnabled: true,
      });
    });

    it('gets a user by userPrincipalName, whatever its case', async () => {
      const user = await f.directory.getUser(alice.userPrincipalName.toUpperCase());
      expect(user?.id).toBe(alice.id);
    });

    it('answers null for an unknown id, an unknown UPN and an empty string', async () => {
      await expect(f.directory.getUser(UNKNOWN_ID)).resolves.toBeNull();
      await expect(f.directory.getUser('nobody@contoso.example')).resolves.toBeNull();
      await expect(f.directory.getUser('')).resolves.toBeNull();
    });

    it("gets a user's manager, and null when there is none or no such user", async () => {
      expect((await f.directory.getManager(alice.id))?.id).toBe(bob.id);
      expect((await f.directory.getManager(carol.id))?.id).toBe(paula.id);
      await expect(f.directory.getManager(bob.id)).resolves.toBeNull();
      await expect(f.directory.getManager(UNKNOWN_ID)).resolves.toBeNull();
    });

    it('lists the groups a user is in, teams flagged', async () => {
      const groups = await f.directory.groupsOf(carol.id);
      expect(ids(groups)).toEqual([platform.id, platformEngineers.id].sort());
      expect(groups.find((g) => g.id === platform.id)).toEqual({ id: platform.id, displayName: 'Platform', mail: platform.email, isTeam: true });
      expect(groups.find((g) => g.id === platformEngineers.id)).toEqual({ id: platformEngineers.id, displayName: 'platform-engineers', mail: null, isTeam: false });
    });

    it('includes groups reached through nesting', async () => {
      const nestedId = '20000000-0000-4000-b000-0000000000a1';
      await f.addGroup({ id: nestedId, displayName: 'all-engineering-approvers', memberIds: [platformEngineers.id] });
      expect(ids(await f.directory.groupsOf(carol.id))).toContain(nestedId);
      expect(ids(await f.directory.groupsOf(alice.id))).not.toContain(nestedId);
    });

    it('answers [] for the groups of an unknown user', async () => {
      await expect(f.directory.groupsOf(UNKNOWN_ID)).resolves.toEqual([]);
    });

    it('lists the people in a group, through nesting, without duplicates', async () => {
      expect(ids(await f.directory.membersOf(payments.id))).toEqual([alice.id, bob.id, frank.id].sort());
      const nestedId = '20000000-0000-4000-b000-0000000000a2';
      await f.addGroup({ id: nestedId, displayName: 'payments-and-platform', memberIds: [payments.id, platformEngineers.id, bob.id] });
      const members = await f.directory.membersOf(nestedId);
      expect(ids(members)).toEqual([alice.id, bob.id, frank.id, carol.id, paula.id].sort());
      expect(members.every((m) => typeof m.userPrincipalName === 'string')).toBe(true);
    });

    it('answers [] for the members of an unknown group', async () => {
      await expect(f.directory.membersOf(UNKNOWN_ID)).resolves.toEqual([]);
    });

    it('finds a group by display name, case-insensitively, and null when none', async () => {
      expect((await f.directory.findGroupByName('platform-engineers'))?.id).toBe(platformEngineers.id);
      expect((await f.directory.findGroupByName('PLATFORM-Engineers'))?.id).toBe(platformEngineers.id);
      expect(await f.directory.findGroupByName('Payments')).toMatchObject({ id: payments.id, isTeam: true });
      await expect(f.directory.findGroupByName('no-such-group')).resolves.toBeNull();
    });

    it('finds names with quotes and URL-special characters', async () => {
      const id = '20000000-0000-4000-b000-0000000000a3';
      await f.addGroup({ id, displayName: "O'Brien & Co #1 50%", memberIds: [] });
      expect((await f.directory.findGroupByName("O'Brien & Co #1 50%"))?.id).toBe(id);
    });

    describe('searchUsers (the people type-ahead)', () => {
      const names = (users: { displayName: string }[]) => users.map((u) => u.displayName);

      it('matches the start of any word of the display name, whatever its case', async () => {
        expect(names(await f.directory.searchUsers('ali', 10))).toEqual(['Alice Developer']);
        expect(names(await f.directory.searchUsers('DEV', 10))).toEqual(['Alice Developer']);
        expect(names(await f.directory.searchUsers('Alice D', 10))).toEqual(['Alice Developer']);
      });

      it('matches a word by its start, not a substring inside it', async () => {
        // "Frank Newjoiner" contains "joiner" but no word of it starts with it.
        expect(names(await f.directory.searchUsers('joiner', 10))).toEqual(['Henry Joiner']);
        expect(await f.directory.searchUsers('contoso', 10)).toEqual([]);
      });

      it('matches the start of the userPrincipalName', async () => {
        const found = await f.directory.searchUsers('henry@contoso', 10);
        expect(found).toEqual([expect.objectContaining({ id: userBySlug('henry').id, userPrincipalName: userBySlug('henry').userPrincipalName, displayName: 'Henry Joiner' })]);
      });

      it('orders by display name and stops at the limit', async () => {
        // "j": Henry Joiner (a word), Jules Contractor (a word and the UPN).
        expect(names(await f.directory.searchUsers('j', 10))).toEqual(['Henry Joiner', 'Jules Contractor']);
        expect(names(await f.directory.searchUsers('j', 1))).toEqual(['Henry Joiner']);
      });

      it('includes disabled accounts, flagged', async () => {
        const [ivan] = await f.directory.searchUsers('ivan', 10);
        expect(ivan).toMatchObject({ id: userBySlug('ivan').id, accountEnabled: false });
        expect((await f.directory.searchUsers('henry', 10))[0]?.accountEnabled).toBe(true);
      });

      it('answers [] for blank text and a limit below one', async () => {
        await expect(f.directory.searchUsers('   ', 10)).resolves.toEqual([]);
        await expect(f.directory.searchUsers('alice', 0)).resolves.toEqual([]);
      });

      it('treats quotes, backslashes and URL-special characters as text, never as query syntax', async () => {
        // Unescaped, this would become a second clause matching everyone whose name has an "a" word.
        await expect(f.directory.searchUsers('x" OR "displayName:a', 10)).resolves.toEqual([]);
        expect(names(await f.directory.searchUsers('alice\\', 10))).toEqual(['Alice Developer']);
        await expect(f.directory.searchUsers("o'brien & co #1 50%", 10)).resolves.toEqual([]);
        await expect(f.directory.searchUsers('alice&$top=1', 10)).resolves.toEqual([]);
      });
    });

    it('refuses to guess when two groups share a display name', async () => {
      await f.addGroup({ id: '20000000-0000-4000-b000-0000000000a4', displayName: 'approvers', memberIds: [] });
      await f.addGroup({ id: '20000000-0000-4000-b000-0000000000a5', displayName: 'Approvers', memberIds: [alice.id] });
      const error = await f.directory.findGroupByName('approvers').catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('DIRECTORY.AMBIGUOUS_GROUP');
    });
  });
}
