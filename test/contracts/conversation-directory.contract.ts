/**
 * What every ConversationDirectory must do, run on the in-memory fake
 * (test/unit/conversation-directory.contract.test.ts) and on MongoConversationDirectory
 * (test/integration/conversation-directory.contract.int.test.ts). Each test uses ids of its own.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { teamChannelKey, type StoredConversation } from '../../src/domain/conversations/conversations.types';

export interface ConversationDirectoryFixture {
  directory: ConversationDirectory;
  close(): Promise<void>;
}

const personal = (aad: string): StoredConversation => ({
  key: `user:${aad}`,
  conversationId: `a:${aad}`,
  conversationType: 'personal',
  aadObjectId: aad,
  userId: `29:${aad}`,
  serviceUrl: 'https://smba.example/emea/',
  reference: { conversation: { id: `a:${aad}` }, 'odd.key$': 1 },
});

const teamChannel = (teamId: string, aadGroupId: string): StoredConversation => ({
  key: teamChannelKey(teamId),
  conversationId: teamId,
  conversationType: 'channel',
  teamId,
  aadGroupId,
  serviceUrl: 'https://smba.example/emea/',
  reference: { conversation: { id: teamId, conversationType: 'channel' } },
});

export function conversationDirectoryContract(name: string, open: () => Promise<ConversationDirectoryFixture>): void {
  describe(`ConversationDirectory: ${name}`, () => {
    let fixture: ConversationDirectoryFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(() => fixture.close());
    const id = () => randomUUID();

    it('finds a personal chat by the person\'s Entra id, with its reference as saved', async () => {
      const aad = id();
      await fixture.directory.save(personal(aad));
      const found = await fixture.directory.findByAadObjectId(aad);
      expect(found).toMatchObject({ key: `user:${aad}`, conversationType: 'personal', reference: { conversation: { id: `a:${aad}` }, 'odd.key$': 1 } });
      await expect(fixture.directory.findByAadObjectId(id())).resolves.toBeNull();
    });

    it('finds a team\'s General channel by its Entra group id (either case) or its team id; a personal chat is never a team channel', async () => {
      const teamId = `19:${id()}@thread.tacv2`;
      const group = id();
      await fixture.directory.save(teamChannel(teamId, group));
      await fixture.directory.save({ ...personal(group), aadObjectId: group }); // a person with the same id: not a team
      await expect(fixture.directory.findTeamChannel({ aadGroupId: group.toUpperCase() })).resolves.toMatchObject({ key: teamChannelKey(teamId), teamId, conversationType: 'channel' });
      await expect(fixture.directory.findTeamChannel({ teamId })).resolves.toMatchObject({ aadGroupId: group });
      await expect(fixture.directory.findTeamChannel({ aadGroupId: id() })).resolves.toBeNull();
      await expect(fixture.directory.findTeamChannel({})).resolves.toBeNull();
    });

    it('saving a team channel again replaces it (a reinstall from another service URL)', async () => {
      const teamId = `19:${id()}@thread.tacv2`;
      const group = id();
      await fixture.directory.save(teamChannel(teamId, group));
      await fixture.directory.save({ ...teamChannel(teamId, group), serviceUrl: 'https://smba.example/amer/' });
      await expect(fixture.directory.findTeamChannel({ aadGroupId: group })).resolves.toMatchObject({ serviceUrl: 'https://smba.example/amer/' });
    });

    it("forgets a team's channel (the bot removed from the team): found no more, by group or team id; the team's other conversations stay", async () => {
      const teamId = `19:${id()}@thread.tacv2`;
      const group = id();
      const person = id();
      await fixture.directory.save(teamChannel(teamId, group));
      await fixture.directory.save({ ...personal(person), key: `conversation:${teamId};messageid=1`, conversationId: `${teamId};messageid=1`, conversationType: 'channel' });
      await expect(fixture.directory.removeTeamChannel(teamId)).resolves.toBe(true);
      await expect(fixture.directory.findTeamChannel({ aadGroupId: group })).resolves.toBeNull();
      await expect(fixture.directory.findTeamChannel({ teamId })).resolves.toBeNull();
      await expect(fixture.directory.findByConversationId(`${teamId};messageid=1`)).resolves.toMatchObject({ conversationType: 'channel' });
      await expect(fixture.directory.removeTeamChannel(teamId)).resolves.toBe(false);
      await fixture.directory.save(teamChannel(teamId, group)); // reinstalled
      await expect(fixture.directory.findTeamChannel({ teamId })).resolves.toMatchObject({ aadGroupId: group });
    });
  });
}
