/**
 * `.m365agentsplayground.yml` in DATA_DIR, for people who have Microsoft 365 Agents Playground:
 * it then shows the demo people instead of its own. Its format needs `version: "0.1.1"`, exactly
 * five `users` and the key spelled `userPrincipleName` (sic). Never run it in tests: it contacts
 * Microsoft services when it starts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DEMO_TEAMS, DEMO_TENANT_ID, userBySlug, type DemoUser } from '../seed/demo-org';
import { PLAYGROUND_BOT } from './playground-people';

export const AGENTS_PLAYGROUND_FILE = '.m365agentsplayground.yml';
/** The current user first, then four others: the Agents Playground wants exactly five users (it has no way to act as them in turn). */
const PEOPLE = ['alice', 'bob', 'carol', 'grace', 'dave'];

const person = (u: DemoUser) => {
  const [givenName, ...rest] = u.displayName.split(' ');
  return { id: u.teamsId, name: u.displayName, userPrincipleName: u.userPrincipalName, aadObjectId: u.id, givenName, surname: rest.join(' '), email: u.userPrincipalName, tenantId: DEMO_TENANT_ID };
};

export function agentsPlaygroundConfig(): string {
  const users = PEOPLE.map((slug) => person(userBySlug(slug)));
  const team = DEMO_TEAMS[0]!;
  return stringify({
    version: '0.1.1',
    tenantId: DEMO_TENANT_ID,
    bot: { id: PLAYGROUND_BOT.id, name: PLAYGROUND_BOT.name },
    currentUser: users[0],
    users,
    team: { id: team.channelId, name: team.displayName, aadGroupId: team.id, channels: [{ id: team.channelId, name: 'General' }] },
  });
}

export function writeAgentsPlaygroundConfig(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, AGENTS_PLAYGROUND_FILE), `# Written by the sandbox (npm start) for Microsoft 365 Agents Playground: the demo people.\n${agentsPlaygroundConfig()}`);
}
