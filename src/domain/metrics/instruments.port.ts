/**
 * What the bot measures about itself, as typed calls (the Prometheus adapter turns them into
 * metrics; tests use a fake). Every label value passed here must come from a bounded set the code
 * defines (route names, job types, step names, status codes): never user text, ids or secret names.
 */

/** The remote services the bot calls, one label value each. */
export const UPSTREAM_SERVICES = ['azure-devops', 'graph', 'key-vault', 'arm', 'entra', 'bot-connector'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/** How a step attempt ended: done, final failure, or a transient failure waiting for its retry. */
export type StepOutcome = 'succeeded' | 'failed' | 'retry';
/** How a job run ended on this replica. */
export type JobOutcome = 'succeeded' | 'failed' | 'released';

export interface Instruments {
  /** One activity handled: the route that handled it (`command:who owns`, `card:repo.confirm`, `unrouted`...). */
  turnFinished(route: string, activityType: string, seconds: number): void;
  /** One invoke answered (card action or other invoke), by name and the status it answered. */
  invokeFinished(name: string, status: number, seconds: number): void;
  /** One attempt of a job step. */
  jobStepFinished(jobType: string, step: string, outcome: StepOutcome, seconds: number): void;
  /** A job run ended (succeeded, failed, or handed back at stop). */
  jobFinished(jobType: string, outcome: JobOutcome): void;
  /** A user asked for a failed job to run again. */
  jobRetried(jobType: string): void;
  /** One HTTP attempt to a remote service: its status code, or 0 when no answer came (network error, timeout). */
  upstreamCall(service: UpstreamService, status: number, seconds: number): void;
}

/** Measures nothing (a runner or bot built without metrics, most unit tests). */
export const NO_INSTRUMENTS: Instruments = {
  turnFinished: () => undefined,
  invokeFinished: () => undefined,
  jobStepFinished: () => undefined,
  jobFinished: () => undefined,
  jobRetried: () => undefined,
  upstreamCall: () => undefined,
};

/** Seconds since `startedAt` (a performance.now() reading). */
export const secondsSince = (startedAt: number): number => (performance.now() - startedAt) / 1000;

/** The recorder an adapter gets for its technology: one call per HTTP attempt. */
export type UpstreamRecorder = (status: number, seconds: number) => void;

export const upstreamRecorder = (instruments: Instruments, service: UpstreamService): UpstreamRecorder => (status, seconds) => instruments.upstreamCall(service, status, seconds);
