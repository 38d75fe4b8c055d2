// Fast build for `npm start`: esbuild transpiles every TypeScript file of the app to dist/ (same
// tree, CommonJS) and copies the other files the app reads at run time (card templates, seed
// data, the store's .mjs launcher). ~0.2 s, so `npm start` never runs stale code. Type checking
// is `npm run typecheck` (tsc), part of `npm test`.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist');
const folders = ['src', 'dialogs', 'cards', 'manifest'];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

rmSync(out, { recursive: true, force: true });
const files = folders.flatMap((f) => walk(path.join(root, f)));
const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
await build({
  entryPoints: sources,
  outdir: out,
  outbase: root,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false, // stack traces need the mappings only; the sources would sit in every replica's heap
  logLevel: 'warning',
});
for (const file of files.filter((f) => !f.endsWith('.ts'))) {
  const target = path.join(out, path.relative(root, file));
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(file, target);
}
