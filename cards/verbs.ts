/** Every Action.Execute verb a card can send; the card-action router has one handler per verb. */
export const CARD_VERBS = {
  showHelp: 'help.show',
  /** A button of a "did you mean" / search card: answer the question for that entity. */
  pickCatalogEntity: 'catalog.pick',
  /** The "create repo" preview: Confirm / Cancel (requester only) and its per-user refresh. */
  confirmRepo: 'repo.create.confirm',
  cancelRepo: 'repo.create.cancel',
  refreshRepoPreview: 'repo.create.refresh',
  /** Retry of a failed repository job (create repo, add pipeline), from its progress card. */
  retryRepoJob: 'repo.job.retry',
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS];
