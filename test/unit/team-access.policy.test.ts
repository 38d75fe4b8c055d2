/** Who may act for a team: catalog membership or the team's directory group, platform groups, default deny. */
import { readFileSync } from 'node:fs';
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { DomainError } from '../../src/domain/domain-error';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { seedCatalog } from '../helpers/repo-fakes';

const actor = (slug: string) => ({ id: userBySlug(slug).id, name: userBySlug(slug).displayName });

describe('TeamAccessPolicy', () => {
  let catalog: InMemoryCatalogStore;
  let directory: InMemoryDirectory;
  const team = async () => (await catalog.get('group:default/team-payments'))!;
  beforeEach(async () => {
    catalog = new InMemoryCatalogStore();
    await seedCatalog(catalog);
    directory = InMemoryDirectory.fromDemoOrg();
  });

  test('a member of the team (catalog or directory), a platform engineer: yes; anyone else: no, with why', async () => {
    const policy = new TeamAccessPolicy({ directory, catalog, platformGroups: ['platform-engineers'] });
    expect(await policy.canActFor(actor('alice'), await team())).toEqual({ allowed: true, via: 'team' });
    expect(await policy.canActFor(actor('carol'), await team())).toEqual({ allowed: true, via: 'platform' });
    const dave = await policy.canActFor(actor('dave'), await team());
    expect(dave).toEqual({ allowed: false, reason: expect.stringMatching(/Dave Searcher is not a member of the team Payments \(team-payments\) or of "platform-engineers"/) });
  });

  test('the directory alone is enough: a member the catalog does not list yet', async () => {
    const group = await team();
    await catalog.applyLocation(group.location, [{ ...group, members: [], sourceHash: 'no-members' }]);
    const policy = new TeamAccessPolicy({ directory, catalog, platformGroups: [] });
    expect(await policy.canActFor(actor('bob'), await team())).toEqual({ allowed: true, via: 'team' });
  });

  test('no platform groups configured: platform engineers are like anyone else', async () => {
    const policy = new TeamAccessPolicy({ directory, catalog, platformGroups: [] });
    expect((await policy.canActFor(actor('carol'), await team())).allowed).toBe(false);
  });

  test('a directory failure: the catalog still says yes; when it says no, the failure is raised (never a silent allow)', async () => {
    directory.groupsOf = async () => {
      throw new DomainError('UPSTREAM.UNAVAILABLE', 'Graph is down');
    };
    const policy = new TeamAccessPolicy({ directory, catalog, platformGroups: ['platform-engineers'] });
    expect((await policy.canActFor(actor('alice'), await team())).allowed).toBe(true);
    await expect(policy.canActFor(actor('carol'), await team())).rejects.toMatchObject({ code: 'UPSTREAM.UNAVAILABLE' });
  });

  test('a User orphaned in the catalog is no member, though the team still lists it', async () => {
    const policy = new TeamAccessPolicy({ catalog, platformGroups: [] }); // no directory: the catalog alone decides
    expect(await policy.canActFor(actor('alice'), await team())).toEqual({ allowed: true, via: 'team' });
    // Alice's User disappears from its file (she left): the store orphans it, the team still lists her.
    const user = (await catalog.get('user:default/alice'))!;
    const parsed = await parseDescriptors(readFileSync(user.location.replace(/^file:/, ''), 'utf8'), user.location);
    await catalog.applyLocation(user.location, parsed.entities.filter((e) => e.ref !== user.ref));
    expect((await catalog.get(user.ref))!.status).toBe('orphaned');
    expect((await team()).members).toContain(user.ref);
    expect(await policy.canActFor(actor('alice'), await team())).toMatchObject({ allowed: false, reason: expect.stringMatching(/Alice Developer is not a member of the team Payments/) });
    // Matched by e-mail alone (no Entra id on the actor): still no.
    expect((await policy.canActFor({ id: 'teams-only-id', name: 'Alice Developer', email: 'alice@contoso.example' }, await team())).allowed).toBe(false);
  });
});
