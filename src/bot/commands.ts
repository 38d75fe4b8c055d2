import { MessageFactory } from 'botbuilder';
import { renderHelpCard } from '../../cards/help.card';
import { cardAttachment, type AdaptiveCard } from '../../cards/render';
import { FEEDBACK_DIALOG_ID } from '../../dialogs/feedback/feedback.dialog';
import type { CommandRoute } from './command-router';

/**
 * The command table. Order matters: the first route whose pattern matches wins.
 * Every route appears in the help card with its examples.
 */
export function buildCommandTable(): CommandRoute[] {
  const routes: CommandRoute[] = [
    {
      name: 'help',
      description: 'Show this list of commands with examples.',
      examples: ['help', 'what can you do?'],
      patterns: [/^(help|\?|commands|menu|what can you do\??|hi|hello)$/i],
      run: async ({ turn }) => {
        await turn.sendActivity(MessageFactory.attachment(cardAttachment(helpCardFor(routes))));
      },
    },
    {
      name: 'feedback',
      description: 'Tell the platform team what is missing or broken; I ask what and how urgent.',
      examples: ['feedback', 'feedback the Java skeleton needs Gradle'],
      patterns: [/^feedback(?:\s+(?<text>.+))?$/i],
      run: async ({ args }) => ({ beginDialog: FEEDBACK_DIALOG_ID, options: { text: args.text } }),
    },
    {
      name: 'cancel',
      description: 'Stop the conversation in progress (nothing half-done is kept).',
      examples: ['cancel'],
      patterns: [/^(cancel|stop|quit|never ?mind)$/i],
      run: async () => ({ cancelDialogs: true }),
    },
  ];
  return routes;
}

// Rendered once per table: templating costs ~2 ms a card and the help card never changes at run time.
const helpCards = new WeakMap<readonly CommandRoute[], AdaptiveCard>();

export function helpCardFor(routes: readonly CommandRoute[]): AdaptiveCard {
  let card = helpCards.get(routes);
  if (!card) {
    card = renderHelpCard({
      intro: 'Type a command in a 1:1 chat, or mention me in a channel or group chat.',
      commands: routes.map(({ name, description, examples }) => ({ name, description, examples })),
      actions: [
        { title: 'Give feedback', text: 'feedback' },
        { title: 'Help', text: 'help' },
      ],
    });
    helpCards.set(routes, card);
  }
  return card;
}
