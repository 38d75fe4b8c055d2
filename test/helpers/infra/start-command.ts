/** package.json's `start`: the environment assignments and the node arguments of its node command. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export function startCommand(): { env: Record<string, string>; argv: string[] } {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const run = pkg.scripts.start!.split('&&').map((s) => s.trim()).find((s) => /\bnode\b.*dist\/src\/main\.js/.test(s));
  if (!run) throw new Error('package.json start has no `node ... dist/src/main.js`');
  const words = run.split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [key, ...value] = words.shift()!.split('=');
    env[key!] = value.join('=');
  }
  return { env, argv: words };
}

/** Routes src/server.ts and src/http register with a literal path, by method. */
export function serverRoutes(): { method: string; path: string }[] {
  const files = [path.join(ROOT, 'src', 'server.ts')];
  return files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/server\.(get|post|head|put|del)\('([^']+)'/g)].map((m) => ({ method: m[1]!.toUpperCase(), path: m[2]! })));
}
