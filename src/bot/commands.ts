import { MessageFactory } from 'botbuilder';
import { renderHelpCard } from '../../cards/help.card';
import { cardAttachment, type AdaptiveCard } from '../../cards/render';
import { ADD_PIPELINE_DIALOG_ID } from '../../dialogs/add-pipeline/add-pipeline.dialog';
import { CREATE_REPO_DIALOG_ID } from '../../dialogs/create-repo/create-repo.dialog';
import { FEEDBACK_DIALOG_ID } from '../../dialogs/feedback/feedback.dialog';
import type { CommandRoute } from './command-router';

/**
 * The command table. Order matters: the first route whose pattern matches wins.
 * Every route appears in the help card with its examples.
 */
export function buildCommandTable(featureRoutes: CommandRoute[] = []): CommandRoute[] {
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
    // Feature routes (e.g. the catalog's "who owns") come before the generic ones.
    ...featureRoutes,
    {
      name: 'feedback',
      description: 'Tell the platform team what is missing or broken; I ask what and how urgent.',
      examples: ['feedback', 'feedback the Java skeleton needs Gradle'],
      patterns: [/^feedback(?:\s+(?<text>.+))?$/i],
      run: async ({ args }) => ({ beginDialog: FEEDBACK_DIALOG_ID, options: { text: args.text } }),
    },
    {
      name: 'create repo',
      description:
        'A new repository from the golden path: runnable skeleton, README with ownership, catalog entry, pipeline and branch policies, after a preview you confirm. ' +
        'Give everything at once as key=value pairs (name, project, stack, owner, description, envs), or I ask for what is missing.',
      examples: ['create repo', 'create repo name=payments-ledger project=Payments stack=node owner=team-payments description="Ledger of card payments" envs=dev,staging,prod'],
      patterns: [/^(?:create|new)\s+(?:a\s+)?(?:repo|repository)\b(?<text>.*)$/i],
      run: async ({ args }) => ({ beginDialog: CREATE_REPO_DIALOG_ID, options: { text: args.text?.trim() ?? '' } }),
    },
    {
      name: 'add pipeline',
      description: 'The golden-path pipeline for an existing repository: I detect the stack, open a pull request with azure-pipelines.yml and create the pipeline.',
      examples: ['add pipeline to payments-web', 'add pipeline to Payments/payments-web stack=node envs=dev,staging'],
      patterns: [/^add\s+(?:a\s+)?(?:golden[- ]path\s+)?pipeline(?:\s+(?:to|for))?(?:\s+(?<text>.+))?$/i],
      run: async ({ args }) => ({ beginDialog: ADD_PIPELINE_DIALOG_ID, options: { text: args.text?.trim() ?? '' } }),
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
