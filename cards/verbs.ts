/** Every Action.Execute verb a card can send; the card-action router has one handler per verb. */
export const CARD_VERBS = {
  showHelp: 'help.show',
  /** A button of a "did you mean" / search card: answer the question for that entity. */
  pickCatalogEntity: 'catalog.pick',
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS];
