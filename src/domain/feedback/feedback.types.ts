export const FEEDBACK_URGENCIES = ['low', 'normal', 'blocking'] as const;
export type FeedbackUrgency = (typeof FEEDBACK_URGENCIES)[number];

export interface FeedbackInput {
  text: string;
  urgency: FeedbackUrgency;
  from: { id: string; name?: string };
  conversationId: string;
  /** Makes a retried submit idempotent. */
  idempotencyKey: string;
}

export interface FeedbackRecord extends FeedbackInput {
  reference: string;
  createdAt: Date;
}
