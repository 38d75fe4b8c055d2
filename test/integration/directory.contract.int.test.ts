/** The Directory contract on the in-memory fake and on GraphDirectory + the Graph stand-in. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { GraphDirectory } from '../../src/adapters/graph/graph-directory.adapter';
import { startIdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { DEMO_TENANT_ID } from '../../src/sandbox/seed/demo-org';
import { directoryContract } from '../contracts/directory.contract';
import { InMemoryDirectory } from '../fakes/in-memory-directory';

directoryContract('InMemoryDirectory', async () => {
  let fake = InMemoryDirectory.fromDemoOrg();
  // The contract holds one reference: delegate so reset() can swap the instance.
  const directory = {
    getUser: (id: string) => fake.getUser(id),
    getManager: (id: string) => fake.getManager(id),
    groupsOf: (id: string) => fake.groupsOf(id),
    membersOf: (id: string) => fake.membersOf(id),
    findGroupByName: (name: string) => fake.findGroupByName(name),
    searchUsers: (text: string, limit: number) => fake.searchUsers(text, limit),
  };
  return {
    directory,
    addGroup: async (g) => fake.addGroup({ ...g, mail: null, isTeam: false }),
    reset: async () => {
      fake = InMemoryDirectory.fromDemoOrg();
    },
    close: async () => undefined,
  };
});

directoryContract('GraphDirectory + Graph stand-in', async () => {
  const client = { clientId: '11111111-0000-4000-8000-0000000d1e00', clientSecret: 'directory-test-secret' };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-contract-'));
  const ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [client] });
  const credential = new ClientSecretCredential(DEMO_TENANT_ID, client.clientId, client.clientSecret, ids.credentialOptions);
  // A small page size makes every list in the contract cross a page boundary.
  const directory = new GraphDirectory({ credential, ...ids.graphClientOptions, pageSize: 2 });
  return {
    directory,
    addGroup: async (g) => void ids.graph.addGroup(g),
    reset: async () => ids.graph.reset(),
    close: async () => {
      directory.close();
      await ids.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
