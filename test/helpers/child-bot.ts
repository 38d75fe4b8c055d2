/**
 * The bot as `npm start` runs it (`node dist/src/main.js`, sandbox mode, its own embedded store)
 * in a child process of its own process group, so a test can kill -9 the whole of it (bot and
 * store) as a crash or an OOM kill would, and start it again on the same DATA_DIR. Talks to it
 * over HTTP through a TestBot facade; reads the Bot Connector stand-in over its REST API.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { RunningBot } from '../../src/main';
import type { StoredActivity } from '../../src/sandbox/standins/bot-connector.standin';
import { TestBot } from './bot-harness';
import { LogCapture } from './log-capture';

const ROOT = path.join(__dirname, '../..');

/** dist/ as `npm start` builds it (scripts/build.mjs, ~0.2 s). */
export function buildDist(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export class ChildBot {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** Stand-in base URLs by name, from GET /sandbox. */
    readonly standIns: Record<string, string>,
    readonly output: () => string,
  ) {}

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<ChildBot> {
    const port = await freePort();
    const { MONGODB_URI: _uri, MONGODB_DB: _db, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--no-deprecation', path.join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: { ...inherited, BOT_MODE: 'sandbox', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}: ${output.slice(-2000)}`);
      const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) {
        process.kill(-child.pid!, 'SIGKILL');
        throw new Error(`the bot was not ready after 60 s: ${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const info = (await (await fetch(`${url}/sandbox`)).json()) as { standIns: Record<string, string> };
    return new ChildBot(child, url, info.standIns, () => output);
  }

  /** A TestBot that sends to this process over HTTP (say, execute, activity shapes). */
  harness(): TestBot {
    return new TestBot({ url: this.url, sandbox: { urls: this.standIns } } as unknown as RunningBot, new LogCapture());
  }

  async activities(conversationId: string): Promise<StoredActivity[]> {
    const res = await fetch(`${this.standIns.botConnector}/_standin/conversations/${encodeURIComponent(conversationId)}/activities`);
    return (await res.json()) as StoredActivity[];
  }

  async adoState<T>(): Promise<T> {
    return (await (await fetch(`${new URL(this.standIns.azureDevOps!).origin}/_standin/state`)).json()) as T;
  }

  /** SIGKILL to the whole group: the bot and its store die at once, nothing is flushed. */
  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful stop (the store saves). */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    process.kill(-this.child.pid!, signal);
    await exited;
    // The store is another process of the group: wait until it is gone too.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-this.child.pid!, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A port nothing listens on right now (listened on, then closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
