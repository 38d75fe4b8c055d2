/**
 * Tools some tests run (the generated skeletons' own test runners and compilers). A missing one
 * fails the test with how to install it, never skips it: `npm test` installs them first when it
 * can (scripts/test-tools.sh, the pretest script).
 */
import { spawnSync } from 'node:child_process';

const INSTALL: Record<string, string> = {
  python3: 'apt-get install python3',
  javac: 'apt-get install default-jdk-headless',
  chromium: 'apt-get install chromium fonts-noto-color-emoji',
};

const found = new Map<string, boolean>();
const onPath = (command: string): boolean => {
  if (!found.has(command)) found.set(command, spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0);
  return found.get(command)!;
};

/** Throws "<command> is required for <purpose>: <install>" when the command does not run. */
export function requireTool(command: string, purpose: string, lookup: (command: string) => boolean = onPath): void {
  if (lookup(command)) return;
  throw new Error(`${command} is required for ${purpose}: ${INSTALL[command] ?? `install ${command}`} (npm test runs scripts/test-tools.sh, which installs it as root)`);
}
