/**
 * Which golden path fits an existing repository, read from the build files at its root. Several
 * stacks at the root (a Java service with a package.json for tooling) is a question for the user,
 * not a guess.
 */
import { STACKS, type Stack } from './pipelines.types';

const MARKERS: Record<Stack, readonly string[]> = {
  'java-spring-boot': ['pom.xml', 'build.gradle', 'build.gradle.kts'],
  node: ['package.json'],
  python: ['pyproject.toml', 'requirements.txt', 'setup.py'],
};

export interface StackDetection {
  /** Set only when exactly one stack matches. */
  stack?: Stack;
  /** Every stack whose build file is at the root, in STACKS order. */
  candidates: Stack[];
}

/** `paths` as the source-control port lists them ("/pom.xml" or "pom.xml"); only root files count. */
export function detectStack(paths: readonly string[]): StackDetection {
  const rootFiles = new Set(paths.map((p) => p.replace(/\\/g, '/').replace(/^\/+/, '')).filter((p) => p && !p.includes('/')).map((p) => p.toLowerCase()));
  const candidates = STACKS.filter((s) => MARKERS[s].some((m) => rootFiles.has(m)));
  return candidates.length === 1 ? { stack: candidates[0], candidates } : { candidates };
}
