import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface EmbeddedMongo {
  uri: string;
  stop(): Promise<void>;
}

/** The sandbox's store file under DATA_DIR: the bot (`npm start`) and the CLI open this one file. */
export const sandboxStorePath = (dataDir: string): string => path.join(dataDir, 'store', 'db.bson');

/** The embedded store on DATA_DIR's store file: what `npm start` and `npm run catalog` both open when MONGODB_URI is unset. */
export function startSandboxStore(dataDir: string): Promise<EmbeddedMongo> {
  return startEmbeddedMongo({ persistPath: sandboxStorePath(dataDir) });
}

/**
 * Starts the sandbox store in a child process (the server is ESM-only and CPU-bound; its own
 * process keeps it off the bot's event loop). `persistPath` keeps data across restarts.
 */
export async function startEmbeddedMongo(options: { persistPath?: string; port?: number } = {}): Promise<EmbeddedMongo> {
  const script = path.join(__dirname, 'mongo-server.mjs');
  const args: string[] = [];
  if (options.port) args.push('--port', String(options.port));
  if (options.persistPath) args.push('--persist', options.persistPath);
  const child: ChildProcess = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The embedded store did not start within 15 s')), 15_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { uri: string }).uri);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded store exited with code ${code}`));
    });
  });
  return {
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
