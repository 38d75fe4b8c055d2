/**
 * The catalog CLI's own code path (scripts/catalog/import-command.ts) with no MONGODB_URI: it
 * imports into the sandbox store file under DATA_DIR, and the bot's sandbox (startSandbox, what
 * `npm start` runs) opens that same file and reads what the CLI imported. Exit codes: 0 when
 * nothing was rejected, 1 when an entity was rejected or a path could not be read, 2 on wrong usage.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { startEmbeddedMongo, startSandboxStore } from '../../src/sandbox/embedded-mongo';
import { startSandbox } from '../../src/sandbox/sandbox';
import { runCatalogCli, USAGE } from '../../scripts/catalog/import-command';

const component = (name: string, owner = 'team-payments') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n`;

/** A port nothing listens on: the CLI's "is the sandbox bot running?" probe finds nobody. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'catalog-cli-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('npm run catalog -- import, without MONGODB_URI', () => {
  const dirs: string[] = [];
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  const lines: string[] = [];
  const out = { log: (l: string) => void lines.push(l), error: (l: string) => void lines.push(l) };
  const cli = (...argv: string[]) => runCatalogCli(argv, env, out);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'catalog-cli-data-'));
    dirs.push(dataDir);
    // Not the run's store: the CLI must open its own, the sandbox one.
    env = { DATA_DIR: dataDir, PORT: String(await closedPort()), LOG_LEVEL: 'silent' };
  });
  beforeEach(() => void lines.splice(0));
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('imports into the store file the bot opens: the sandbox started afterwards reads the entity', async () => {
    const root = tree({ 'catalog/payments.yaml': component('cli-imported-api') });
    dirs.push(root);
    await expect(cli('import', path.join(root, 'catalog'))).resolves.toBe(0);
    expect(lines).toContain(`Sandbox store: ${path.join(dataDir, 'store', 'db.bson')}`);
    expect(lines.some((l) => l.startsWith('✓ file:') && l.includes('payments.yaml') && l.includes('created 1'))).toBe(true);

    const sandbox = await startSandbox({ dataDir });
    try {
      const conn = await connectMongo(sandbox.mongoUri, 'idp');
      try {
        const entity = await new MongoCatalogStore(conn).get('component:default/cli-imported-api');
        expect(entity).toMatchObject({ name: 'cli-imported-api', status: 'active', owner: 'group:default/team-payments' });
      } finally {
        await conn.close();
      }
    } finally {
      await sandbox.stop();
    }
  });

  it('a data dir where an older CLI wrote store/db.json (the same format, the old name) is read by the bot', async () => {
    const old = mkdtempSync(path.join(os.tmpdir(), 'catalog-cli-old-'));
    dirs.push(old);
    const written = await startEmbeddedMongo({ persistPath: path.join(old, 'store', 'db.json') });
    const conn = await connectMongo(written.uri, 'idp');
    await conn.collection('probe').insertOne({ name: 'from-the-old-cli' });
    await conn.close();
    await written.stop();
    const bot = await startSandboxStore(old);
    try {
      const again = await connectMongo(bot.uri, 'idp');
      await expect(again.collection('probe').findOne({}, { projection: { _id: 0 } })).resolves.toEqual({ name: 'from-the-old-cli' });
      await again.close();
    } finally {
      await bot.stop();
    }
  });

  it('exits 1 when an entity is rejected or a path cannot be read, and says which', async () => {
    const root = tree({ 'bad.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "not a valid name!"\nspec: {}\n' });
    dirs.push(root);
    await expect(cli('import', path.join(root, 'bad.yaml'))).resolves.toBe(1);
    expect(lines.some((l) => l.startsWith('✗ file:') && l.includes('bad.yaml'))).toBe(true);
    expect(lines.some((l) => l.trim().startsWith('problem'))).toBe(true);
    await expect(cli('import', path.join(root, 'missing.yaml'))).resolves.toBe(1);
    expect(lines.some((l) => l.includes('missing.yaml') && l.startsWith('✗'))).toBe(true);
  });

  it('exits 2 on wrong usage, touching no store', async () => {
    await expect(cli()).resolves.toBe(2);
    await expect(cli('import')).resolves.toBe(2);
    await expect(cli('export', 'x.yaml')).resolves.toBe(2);
    expect(lines.filter((l) => l === USAGE)).toHaveLength(3);
    expect(lines.some((l) => l.startsWith('Sandbox store'))).toBe(false);
  });
});
