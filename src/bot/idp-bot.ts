import {
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type AppBasedLinkQuery,
  type ConversationState,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { cardAttachment } from '../../cards/render';
import { renderWelcomeCard, type ConversationScope } from '../../cards/welcome.card';
import type { Logger } from '../logger';
import { CardActionRouter } from './card-action-router';
import { CommandRouter, normalizeText, type CommandOutcome } from './command-router';
import { ConversationRecorder } from './conversation-recorder';
import { turnLogger } from './turn-logger';

export interface IdpBotDependencies {
  logger: Logger;
  conversationState: ConversationState;
  commands: CommandRouter;
  cardActions: CardActionRouter;
  dialogs: Dialog[];
  recorder: ConversationRecorder;
  /** Empty: any tenant. */
  allowedTenantIds: readonly string[];
  /** Compose-box search and link unfurling (the catalog). */
  messaging?: MessagingExtensionHandlers;
}

export interface MessagingExtensionHandlers {
  query(query: MessagingExtensionQuery): MessagingExtensionResponse | Promise<MessagingExtensionResponse>;
  select(value: { ref?: string }): Promise<MessagingExtensionResponse>;
  unfurl(query: AppBasedLinkQuery): MessagingExtensionResponse | Promise<MessagingExtensionResponse>;
}

const NO_RESULTS: MessagingExtensionResponse = { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };

/**
 * The Teams activity handler: tenant gate, conversation references, commands (which interrupt
 * any dialog in progress), dialogs, card actions, welcome. It holds no state of its own: dialog
 * state goes through ConversationState to the shared store.
 */
export class IdpBot extends TeamsActivityHandler {
  private readonly dialogSet: DialogSet;

  constructor(private readonly deps: IdpBotDependencies) {
    super();
    this.dialogSet = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    for (const dialog of deps.dialogs) this.dialogSet.add(dialog);

    this.onMessage(async (turn, next) => {
      await this.handleMessage(turn);
      await next();
    });
    this.onMembersAdded(async (turn, next) => {
      const botId = turn.activity.recipient.id;
      if (turn.activity.membersAdded?.some((m) => m.id === botId)) await this.sendWelcome(turn);
      await next();
    });
  }

  override async run(turn: TurnContext): Promise<void> {
    const tenantId = tenantOf(turn);
    const allowed = this.deps.allowedTenantIds;
    if (allowed.length > 0 && (!tenantId || !allowed.includes(tenantId))) {
      turnLogger(turn, this.deps.logger).warn({ tenantId }, 'activity from a tenant that is not allowed: ignored');
      return;
    }
    await this.deps.recorder.record(turn);
    await super.run(turn);
    await this.deps.conversationState.saveChanges(turn);
  }

  protected override async onAdaptiveCardInvoke(turn: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return this.deps.cardActions.handle(turn, value);
  }

  protected override async handleTeamsMessagingExtensionQuery(_turn: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    return this.deps.messaging ? this.deps.messaging.query(query) : NO_RESULTS;
  }

  protected override async handleTeamsMessagingExtensionSelectItem(_turn: TurnContext, value: { ref?: string }): Promise<MessagingExtensionResponse> {
    return this.deps.messaging ? this.deps.messaging.select(value ?? {}) : NO_RESULTS;
  }

  protected override async handleTeamsAppBasedLinkQuery(_turn: TurnContext, query: AppBasedLinkQuery): Promise<MessagingExtensionResponse> {
    return this.deps.messaging ? this.deps.messaging.unfurl(query) : NO_RESULTS;
  }

  private async handleMessage(turn: TurnContext): Promise<void> {
    const text = normalizeText(TurnContext.removeRecipientMention(turn.activity) ?? turn.activity.text ?? '');
    const routed = text ? this.deps.commands.match(text) : null;
    // Only a soft command needs the dialog state first; the others answer without reading it.
    const dialogFirst = routed?.route.interruptsDialogs === false && (await this.dialogSet.createContext(turn)).activeDialog;
    if (routed && !dialogFirst) {
      if (this.deps.logger.isLevelEnabled('debug')) turnLogger(turn, this.deps.logger).debug({ command: routed.route.name }, 'command');
      const outcome = await routed.route.run({ turn, text, args: routed.args });
      await this.applyOutcome(turn, outcome);
      return;
    }

    // Not a command: it may be an answer inside a dialog (only now do we read dialog state).
    const dialogContext = await this.dialogSet.createContext(turn);
    if (dialogContext.activeDialog) {
      await dialogContext.continueDialog();
      return;
    }
    if (!text) return; // e.g. a stray card submit after its dialog ended
    await this.replyUnknown(turn, text);
  }

  private async applyOutcome(turn: TurnContext, outcome: CommandOutcome): Promise<void> {
    if (!outcome) return;
    const dialogContext = await this.dialogSet.createContext(turn);
    if ('cancelDialogs' in outcome) {
      const hadDialog = Boolean(dialogContext.activeDialog);
      await dialogContext.cancelAllDialogs();
      await turn.sendActivity(hadDialog ? 'Cancelled. Nothing was changed.' : 'There is nothing to cancel.');
      return;
    }
    // A new command replaces whatever was in progress.
    await dialogContext.cancelAllDialogs();
    const result = await dialogContext.beginDialog(outcome.beginDialog, outcome.options);
    if (result.status === DialogTurnStatus.empty) throw new Error(`Dialog "${outcome.beginDialog}" did not start`);
  }

  private async replyUnknown(turn: TurnContext, text: string): Promise<void> {
    const suggestions = this.deps.commands.suggest(text);
    const reply = suggestions.length
      ? `I did not understand "${truncate(text, 60)}". Did you mean: ${suggestions.map((r) => `**${r.examples[0] ?? r.name}**`).join(', ')}? Type **help** for everything I can do.`
      : `I did not understand "${truncate(text, 60)}". Type **help** to see what I can do.`;
    await turn.sendActivity(MessageFactory.text(reply));
  }

  private async sendWelcome(turn: TurnContext): Promise<void> {
    const scope = scopeOf(turn);
    const card = renderWelcomeCard({
      greeting: scope === 'personal' ? 'Welcome! 👋' : 'Hello, team! 👋',
      scope,
      highlights: this.deps.commands.routes.slice(0, 4).map((r) => ({ command: r.examples[0] ?? r.name, description: r.description })),
    });
    await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }
}

function tenantOf(turn: TurnContext): string | undefined {
  const a = turn.activity;
  return a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

function scopeOf(turn: TurnContext): ConversationScope {
  const type = turn.activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat') return type;
  return 'personal';
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
