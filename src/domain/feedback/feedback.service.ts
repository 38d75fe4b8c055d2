import { DomainError } from '../domain-error';
import type { AuditLog } from '../audit/audit.port';
import type { FeedbackStore } from './feedback.port';
import { FEEDBACK_URGENCIES, type FeedbackInput, type FeedbackRecord } from './feedback.types';

const FEEDBACK_MAX_LENGTH = 2000;

/** Feedback to the platform team: validated, stored once, audited. */
export class FeedbackService {
  constructor(
    private readonly store: FeedbackStore,
    private readonly audit: AuditLog,
  ) {}

  /** Why the text cannot be recorded, or null. */
  validateText(text: string): DomainError | null {
    const trimmed = text.trim();
    if (trimmed.length < 3) return new DomainError('FEEDBACK.TOO_SHORT', `feedback of ${trimmed.length} characters`, { min: 3 });
    if (trimmed.length > FEEDBACK_MAX_LENGTH) return new DomainError('FEEDBACK.TOO_LONG', `feedback of ${trimmed.length} characters`, { max: FEEDBACK_MAX_LENGTH, length: trimmed.length });
    return null;
  }

  async submit(input: FeedbackInput): Promise<FeedbackRecord> {
    const problem = this.validateText(input.text);
    if (problem) throw problem;
    if (!FEEDBACK_URGENCIES.includes(input.urgency)) throw new DomainError('FEEDBACK.UNKNOWN_URGENCY', `urgency "${input.urgency}"`, { urgency: input.urgency, known: [...FEEDBACK_URGENCIES] });
    const reference = `FB-${input.idempotencyKey.replace(/[^a-z0-9]/gi, '').slice(-8).toUpperCase()}`;
    const stored = await this.store.insertOnce({ ...input, text: input.text.trim(), reference, createdAt: new Date() });
    await this.audit.record({
      actor: input.from.id,
      actorName: input.from.name,
      action: 'feedback.submit',
      target: `feedback:${stored.reference}`,
      result: 'success',
      details: { urgency: input.urgency },
    });
    return stored;
  }
}
