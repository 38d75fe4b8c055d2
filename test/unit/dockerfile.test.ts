/**
 * The container, checked offline (no Docker engine on the build machines): the Dockerfile parsed
 * with dockerfile-ast against package.json's `start`, src/config.ts's defaults and
 * scripts/build.mjs; .dockerignore against what the build needs and what must stay out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { loadConfig } from '../../src/config';
import { ROOT, startCommand } from '../helpers/infra/start-command';

const dockerfile = DockerfileParser.parse(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const argDefaults = Object.fromEntries(dockerfile.getARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue() ?? '']));
const resolve = (s: string) => s.replace(/\$\{?(\w+)\}?/g, (_, name: string) => argDefaults[name] ?? '');

/** Instructions per stage, in order. */
const stages = (() => {
  const out: { name: string; image: string; steps: Instruction[] }[] = [];
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === i.getRange().start.line)!;
      out.push({ name: from.getBuildStage() ?? String(out.length), image: resolve(from.getImage() ?? ''), steps: [] });
    } else out.at(-1)?.steps.push(i);
  }
  return out;
})();
const runtime = stages.at(-1)!;
const build = stages[0]!;
const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const of = (stage: { steps: Instruction[] }, keyword: string) => stage.steps.filter((i) => i.getKeyword() === keyword);
const envOf = (stage: { steps: Instruction[] }) => Object.fromEntries(of(stage, 'ENV').flatMap((i) => (i as unknown as { getProperties(): { getName(): string; getValue(): string }[] }).getProperties().map((p) => [p.getName(), p.getValue()])));

describe('Dockerfile', () => {
  test('has a build stage and a runtime stage on the same pinned Node 20 or 22 slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:(20|22)\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
    expect(new Set(stages.map((s) => s.image)).size).toBe(1);
  });

  test('the build stage installs every dependency and runs scripts/build.mjs over the folders it walks', () => {
    const runs = of(build, 'RUN').map(args);
    expect(runs.some((r) => /npm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(runs).toContain('node scripts/build.mjs');
    const folders = JSON.parse(/const folders = (\[[^\]]*\])/.exec(readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8'))![1]!.replace(/'/g, '"')) as string[];
    const copied = of(build, 'COPY').map((i) => args(i).split(/\s+/)[0]);
    for (const folder of [...folders, 'scripts']) expect(copied).toContain(folder);
  });

  test('the runtime stage installs production dependencies only and takes dist/ from the build stage', () => {
    expect(of(runtime, 'RUN').map(args).some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    const fromBuild = of(runtime, 'COPY').filter((i) => (i as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag()?.getValue() === build.name);
    expect(fromBuild.map(args)).toEqual(['/app/dist ./dist']);
  });

  test('runs as a numeric non-root user, so Kubernetes can verify runAsNonRoot', () => {
    const user = of(runtime, 'USER').map(args).at(-1);
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(':')[0])).toBeGreaterThan(0);
  });

  test('exposes the default PORT of src/config.ts and sets the same PORT', () => {
    const port = loadConfig({ BOT_MODE: 'test' }).PORT;
    expect(of(runtime, 'EXPOSE').map(args)).toEqual([String(port)]);
    expect(envOf(runtime).PORT).toBe(String(port));
  });

  test('runs production mode with the environment of npm start', () => {
    const env = envOf(runtime);
    expect(env.BOT_MODE).toBe('production');
    const { env: startEnv } = startCommand();
    expect(Object.keys(startEnv)).toContain('MALLOC_MMAP_THRESHOLD_');
    for (const [key, value] of Object.entries(startEnv)) expect(env[key]).toBe(value);
  });

  test('CMD is the exec form of npm start\'s node command (same flags), with no ENTRYPOINT in between', () => {
    expect(of(runtime, 'ENTRYPOINT')).toHaveLength(0);
    const cmd = JSON.parse(args(of(runtime, 'CMD').at(-1)!)) as string[];
    expect(cmd).toEqual(startCommand().argv);
    expect(cmd.at(-1)).toBe('dist/src/main.js');
  });

  test('SIGTERM reaches the bot, which drains on it', () => {
    const stop = of(runtime, 'STOPSIGNAL').map(args);
    expect(stop.length === 0 || stop[0] === 'SIGTERM').toBe(true);
    expect(readFileSync(path.join(ROOT, 'src', 'main.ts'), 'utf8')).toMatch(/process\.once\('SIGTERM'/);
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const ignored = (p: string) => {
    let out = false;
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!');
      const body = (negated ? pattern.slice(1) : pattern).replace(/\/$/, '');
      const re = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/.*)?$`);
      if (re.test(p)) out = !negated;
    }
    return out;
  };

  test.each(['node_modules', '.data', 'dist', 'coverage', 'test-results', '.env', '.env.local', '.git', 'bench/results', 'x.heapsnapshot'])('keeps %s out of the build context', (p) => {
    expect(ignored(p)).toBe(true);
  });

  test('keeps everything the Dockerfile copies', () => {
    const fromContext = (i: Instruction) => !(i as unknown as { getFromFlag(): unknown }).getFromFlag();
    const copied = stages.flatMap((s) => of(s, 'COPY').filter(fromContext).map(args)).flatMap((a) => a.split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(5);
    for (const p of copied) expect([p, ignored(p)]).toEqual([p, false]);
  });
});
