/**
 * What every SourceControl must do, run against the in-memory fake and against the Azure DevOps
 * adapter + stand-in (test/integration/source-control.contract.int.test.ts), so the fake cannot
 * drift from what the real client sees. Both are seeded with CONTRACT_PROJECTS.
 */
import { DEMO_PROJECTS, type DemoProject } from '../../src/sandbox/seed/demo-org';
import { isDomainError } from '../../src/domain/domain-error';
import type { SourceControl } from '../../src/domain/repos/source-control.port';
import { SEED_DATE } from '../../src/sandbox/standins/azure-devops/state';

const CATALOG_INFO = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders-service\nspec:\n  owner: team-payments\n';

/** The demo organisation plus a project with nested files, a catalog descriptor and an empty repository. */
export const CONTRACT_PROJECTS: DemoProject[] = [
  ...DEMO_PROJECTS,
  {
    id: '30000000-0000-4000-c000-0000000000c1',
    name: 'Catalog Demo',
    description: 'Repositories for catalog ingestion',
    repositories: [
      {
        id: '31000000-0000-4000-c000-0000000000c1',
        name: 'orders-service',
        stack: 'node',
        files: {
          '/catalog-info.yaml': CATALOG_INFO,
          '/package.json': '{ "name": "orders-service" }\n',
          '/src/index.ts': 'export {};\n',
          '/src/lib/money.ts': 'export const cents = (n: number) => Math.round(n * 100);\n',
          '/docs/README.md': '# Orders\n',
        },
      },
      { id: '31000000-0000-4000-c000-0000000000c2', name: 'empty-repo', stack: 'node', files: {} },
    ],
  },
];

export interface SourceControlUnderTest {
  sc: SourceControl;
  close(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}

export function sourceControlContract(name: string, make: () => Promise<SourceControlUnderTest>): void {
  describe(`SourceControl contract: ${name}`, () => {
    let subject: SourceControlUnderTest;
    let sc: SourceControl;
    const P = 'Catalog Demo';

    beforeAll(async () => {
      subject = await make();
      sc = subject.sc;
    });
    afterAll(async () => subject?.close());

    it('lists every project, sorted by name, with its id and description', async () => {
      const projects = await sc.listProjects();
      const expected = CONTRACT_PROJECTS.map((p) => ({ id: p.id, name: p.name, description: p.description })).sort((a, b) => a.name.localeCompare(b.name));
      expect(projects).toEqual(expected);
    });

    it("lists a project's repositories sorted by name, with default branch and URLs", async () => {
      const repos = await sc.listRepositories('Payments');
      expect(repos.map((r) => r.name)).toEqual(['payments-api', 'payments-web']);
      for (const r of repos) {
        expect(r).toMatchObject({ project: 'Payments', defaultBranch: 'main', isEmpty: false });
        expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(r.webUrl).toMatch(new RegExp(`/Payments/_git/${r.name}$`));
        expect(r.remoteUrl).toMatch(new RegExp(`/Payments/_git/${r.name}$`));
      }
    });

    it('takes a project id where it takes a project name', async () => {
      const byId = await sc.listRepositories(CONTRACT_PROJECTS[0].id);
      expect(byId.map((r) => r.name)).toEqual(['payments-api', 'payments-web']);
    });

    it('reports an unknown project as REPOS.PROJECT_NOT_FOUND when listing repositories', async () => {
      expect(await codeOf(sc.listRepositories('No Such Project'))).toBe('REPOS.PROJECT_NOT_FOUND');
    });

    it('gets a repository by name (case-insensitive), null when the repository or project is unknown', async () => {
      expect(await sc.getRepository(P, 'Orders-Service')).toMatchObject({ id: '31000000-0000-4000-c000-0000000000c1', name: 'orders-service', project: P, defaultBranch: 'main' });
      expect(await sc.getRepository(P, 'no-such-repo')).toBeNull();
      expect(await sc.getRepository('No Such Project', 'orders-service')).toBeNull();
    });

    it('shows an empty repository as empty: no default branch, no files, nothing to read', async () => {
      const repo = await sc.getRepository(P, 'empty-repo');
      expect(repo).toMatchObject({ name: 'empty-repo', isEmpty: true });
      expect(repo?.defaultBranch).toBeUndefined();
      expect(await sc.listFiles(P, 'empty-repo')).toEqual([]);
      expect(await sc.listFiles(P, 'empty-repo', { recursive: true })).toEqual([]);
      expect(await sc.readFile(P, 'empty-repo', '/catalog-info.yaml')).toBeNull();
    });

    it('reads catalog-info.yaml at the root, with or without the leading slash', async () => {
      expect(await sc.readFile(P, 'orders-service', '/catalog-info.yaml')).toBe(CATALOG_INFO);
      expect(await sc.readFile(P, 'orders-service', 'catalog-info.yaml')).toBe(CATALOG_INFO);
    });

    it('reads nested files, on the default branch or a named one (short or full ref)', async () => {
      const money = 'export const cents = (n: number) => Math.round(n * 100);\n';
      expect(await sc.readFile(P, 'orders-service', '/src/lib/money.ts')).toBe(money);
      expect(await sc.readFile(P, 'orders-service', '/src/lib/money.ts', 'main')).toBe(money);
      expect(await sc.readFile(P, 'orders-service', '/src/lib/money.ts', 'refs/heads/main')).toBe(money);
      expect(await sc.readFile('Search', 'search-indexer', '/pyproject.toml')).toContain('name = "search-indexer"');
    });

    it('returns null for a missing file, a folder, a missing branch, repository or project', async () => {
      expect(await sc.readFile(P, 'orders-service', '/nope.yaml')).toBeNull();
      expect(await sc.readFile(P, 'orders-service', '/src')).toBeNull();
      expect(await sc.readFile(P, 'orders-service', '/catalog-info.yaml', 'no-such-branch')).toBeNull();
      expect(await sc.readFile(P, 'no-such-repo', '/catalog-info.yaml')).toBeNull();
      expect(await sc.readFile('No Such Project', 'orders-service', '/catalog-info.yaml')).toBeNull();
    });

    it('lists root files by default and every file when recursive, sorted, without folders', async () => {
      expect(await sc.listFiles(P, 'orders-service')).toEqual(['/catalog-info.yaml', '/package.json']);
      expect(await sc.listFiles(P, 'orders-service', { recursive: true })).toEqual([
        '/catalog-info.yaml',
        '/docs/README.md',
        '/package.json',
        '/src/index.ts',
        '/src/lib/money.ts',
      ]);
      expect(await sc.listFiles(P, 'orders-service', { branch: 'main', recursive: false })).toEqual(['/catalog-info.yaml', '/package.json']);
    });

    it('lists no files on a missing branch, and reports a missing repository as REPOS.REPOSITORY_NOT_FOUND', async () => {
      expect(await sc.listFiles(P, 'orders-service', { branch: 'no-such-branch' })).toEqual([]);
      expect(await codeOf(sc.listFiles(P, 'no-such-repo'))).toBe('REPOS.REPOSITORY_NOT_FOUND');
      expect(await codeOf(sc.listFiles('No Such Project', 'orders-service'))).toBe('REPOS.REPOSITORY_NOT_FOUND');
    });

    it("gives a file's last commit on the default branch (id and committer date), with or without the leading slash", async () => {
      const root = await sc.lastCommit(P, 'orders-service', '/catalog-info.yaml');
      expect(root).toEqual({ commitId: expect.stringMatching(/^[0-9a-f]{40}$/), date: SEED_DATE });
      expect(root?.date).toBeInstanceOf(Date);
      expect(await sc.lastCommit(P, 'Orders-Service', 'catalog-info.yaml')).toEqual(root);
      expect(await sc.lastCommit(P, 'orders-service', '/src/lib/money.ts')).toEqual({ commitId: expect.stringMatching(/^[0-9a-f]{40}$/), date: SEED_DATE });
      expect((await sc.lastCommit('Payments', 'payments-api', '/catalog-info.yaml'))?.date).toEqual(SEED_DATE);
    });

    it('has no last commit for a missing file, an empty repository, a missing repository or project', async () => {
      expect(await sc.lastCommit(P, 'orders-service', '/nope.yaml')).toBeNull();
      expect(await sc.lastCommit(P, 'empty-repo', '/catalog-info.yaml')).toBeNull();
      expect(await sc.lastCommit(P, 'no-such-repo', '/catalog-info.yaml')).toBeNull();
      expect(await sc.lastCommit('No Such Project', 'orders-service', '/catalog-info.yaml')).toBeNull();
    });
  });
}
