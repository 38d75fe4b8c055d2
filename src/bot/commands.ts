/**
 * The commands every bot has whatever its flows: help (the card lists every flow's commands with
 * their examples) and cancel. The table is help, then the features' commands in the order
 * main.ts lists them, then cancel: the first route whose pattern matches wins.
 */
import { MessageFactory } from 'botbuilder';
import { renderHelpCard } from '../../cards/help.card';
import { cardAttachment, type AdaptiveCard } from '../../cards/render';
import type { CommandRoute } from './command-router';

export function buildCommandTable(featureCommands: readonly CommandRoute[]): CommandRoute[] {
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
    ...featureCommands,
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
      actions: [...(routes.some((r) => r.name === 'feedback') ? [{ title: 'Give feedback', text: 'feedback' }] : []), { title: 'Help', text: 'help' }],
    });
    helpCards.set(routes, card);
  }
  return card;
}
