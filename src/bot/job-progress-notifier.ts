/**
 * Keeps every durable job's progress card current, whatever its flow: each transition of the job
 * runner (on this replica) becomes an in-place update of the card message named in the job's
 * notify target (a job no feature presents gets nothing). Updates
 * for one job are sent one at a time, newest wins (intermediate states are skipped while a send
 * is in flight), and never an older version after a newer one. A job whose card id is unknown
 * (a client without Universal Actions) gets one new message when it ends.
 */
import type { ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { parseNotifyTarget } from '../domain/conversations/conversations.types';
import type { Job, JobChange } from '../domain/jobs/jobs.types';
import type { Logger } from '../logger';
import { referenceOf } from './notify-target';

export interface CardMessenger {
  sendCard(reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<string | undefined>;
  updateCard(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void>;
}

/** The progress card of a job, for the job types the features present. */
export interface JobCards {
  presents(type: string): boolean;
  render(job: Job): Promise<AdaptiveCard>;
}

interface Target {
  reference: Partial<ConversationReference>;
  activityId?: string;
}

interface Entry {
  shown: number;
  next?: Job;
  sending?: Promise<void>;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export class JobProgressNotifier {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly messenger: CardMessenger,
    private readonly cards: JobCards,
    private readonly logger: Logger,
  ) {}

  /** For JobRunner.onProgress. */
  readonly onProgress = (job: Job, _change: JobChange): void => {
    const notify = parseNotifyTarget(job.context);
    if (!notify || !this.cards.presents(job.type)) return;
    const reference = referenceOf(notify);
    if (!notify.cardActivityId) {
      if (FINAL.has(job.status)) void this.send(async () => void (await this.messenger.sendCard(reference, await this.cards.render(job))), job);
      return;
    }
    const entry = this.entries.get(job.id) ?? { shown: -1 };
    this.entries.set(job.id, entry);
    if (job.version <= entry.shown || (entry.next && job.version <= entry.next.version)) return;
    entry.next = job;
    entry.sending ??= this.drain(job.id, entry, { reference, activityId: notify.cardActivityId });
  };

  /** Resolves when every update queued so far has been sent (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.sending));
  }

  private async drain(jobId: string, entry: Entry, target: Required<Target>): Promise<void> {
    let last: Job | undefined;
    while (entry.next) {
      const job = entry.next;
      entry.next = undefined;
      await this.send(async () => this.messenger.updateCard(target.reference, target.activityId, await this.cards.render(job)), job);
      entry.shown = job.version;
      last = job;
    }
    entry.sending = undefined;
    if (last && FINAL.has(last.status) && this.entries.get(jobId) === entry) this.entries.delete(jobId);
  }

  private async send(action: () => Promise<void>, job: Job): Promise<void> {
    try {
      await action();
    } catch (err) {
      // A lost update is not worth failing anything for: the next one carries the whole state.
      this.logger.warn({ err, jobId: job.id, jobType: job.type, version: job.version }, 'could not update the progress card');
    }
  }
}
