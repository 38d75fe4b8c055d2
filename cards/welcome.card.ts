import template from './welcome.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The welcome card's "show me everything" button. */
export const SHOW_HELP_VERB = 'help.show';

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

export interface WelcomeCardData {
  greeting: string;
  scope: ConversationScope;
  highlights: { command: string; description: string }[];
}

const SCOPE_HINTS: Record<ConversationScope, string> = {
  personal: 'Just type a command below, or "help" to see them all.',
  groupChat: 'Mention me (@) with a command, or "@bot help" to see them all.',
  channel: 'Mention me (@) in this channel with a command, or "@bot help" to see them all.',
};

export const renderWelcomeCard = (data: WelcomeCardData): AdaptiveCard =>
  renderTemplate(template, { ...data, scopeHint: SCOPE_HINTS[data.scope], verb: SHOW_HELP_VERB });
