/** A pipeline step as a plain object (`script:` or `task:`), serialised by yaml-builder. */
export type Step = Record<string, unknown>;

/** What differs between stacks; the stage layout is the same for all (golden-pipeline.ts). */
export interface StackSteps {
  /** Tool installers, first in every job of the stack. */
  setup: Step[];
  /** Build and unit tests; the tests write JUnit XML matching `testResultsFiles`. */
  buildAndTest: Step[];
  testResultsFiles: string;
  /** Fails on known-vulnerable dependencies (high severity and above). */
  dependencyAudit: Step[];
}
