/**
 * The Teams activity handler, generic over the features main.ts lists: conversation references,
 * the acting user, commands (which interrupt any dialog in progress), dialogs, card actions, other
 * invokes, stale forms and the welcome card. Everything it runs goes through the one guard. It
 * holds no state of its own: dialog state goes through ConversationState to the shared store.
 */
import { MessageFactory, TeamsActivityHandler, TurnContext, type ConversationState, type InvokeResponse } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { z } from 'zod';
import { codeSpan } from '../../cards/teams-markdown';
import { cardAttachment } from '../../cards/render';
import { renderWelcomeCard, SHOW_HELP_VERB, type ConversationScope } from '../../cards/welcome.card';
import type { Logger } from '../logger';
import { cardAction, CardActionRouter } from './card-action-router';
import { CommandRouter, normalizeText, type CommandOutcome, type RouteMatch } from './command-router';
import { buildCommandTable, helpCardFor } from './commands';
import { ConversationRecorder } from './conversation-recorder';
import { checkFeatures, type Feature } from './feature';
import { TurnGuard } from './guard';
import { rememberActor, verifiedActor } from './identity';
import { InvokeRouter } from './invoke-router';
import { turnLogger } from './turn-logger';
import { setTurnRoute, turnRouteOf } from './turn-route';
import { NO_INSTRUMENTS, secondsSince, type Instruments } from '../domain/metrics/instruments.port';

export interface IdpBotDependencies {
  logger: Logger;
  conversationState: ConversationState;
  features: readonly Feature[];
  recorder: ConversationRecorder;
  /** Channels whose `from.aadObjectId` is an identity the bot may act for (Teams). */
  trustedChannels: readonly string[];
  /** Turn and invoke latency (default: none). */
  instruments?: Instruments;
}

/** The longest message the bot reads; a longer one is refused as a whole (no command runs on a cut). */
const MAX_TEXT_CHARS = 4000;

export class IdpBot extends TeamsActivityHandler {
  private readonly dialogSet: DialogSet;
  private readonly guard: TurnGuard;
  private readonly commands: CommandRouter;
  private readonly cardActions: CardActionRouter;
  private readonly invokes: InvokeRouter;
  private readonly forms: { field: string; startAgain: string }[];
  private readonly instruments: Instruments;

  constructor(private readonly deps: IdpBotDependencies) {
    super();
    checkFeatures(deps.features);
    this.instruments = deps.instruments ?? NO_INSTRUMENTS;
    this.guard = new TurnGuard(deps.logger);
    this.commands = new CommandRouter(buildCommandTable(deps.features.flatMap((f) => f.commands ?? [])));
    this.cardActions = new CardActionRouter(this.guard);
    this.cardActions.add(
      cardAction({ verb: SHOW_HELP_VERB, data: z.object({}).passthrough(), changesState: false, run: async () => ({ card: helpCardFor(this.commands.routes) }) }),
    );
    this.invokes = new InvokeRouter(this.guard);
    this.dialogSet = new DialogSet(deps.conversationState.createProperty<DialogState>('dialogState'));
    for (const feature of deps.features) {
      feature.dialogs?.forEach((d) => this.dialogSet.add(d));
      feature.cardActions?.forEach((a) => this.cardActions.add(a));
      feature.invokes?.forEach((i) => this.invokes.add(i));
    }
    this.forms = deps.features.flatMap((f) => f.forms ?? []);

    this.onMessage(async (turn, next) => {
      // A step that failed leaves its dialog half-way: it ends, so the next message starts clean.
      await this.guard.message(turn, () => this.handleMessage(turn), async () => void (await (await this.dialogSet.createContext(turn)).cancelAllDialogs()));
      await next();
    });
    this.onMembersAdded(async (turn, next) => {
      const botId = turn.activity.recipient.id;
      if (turn.activity.membersAdded?.some((m) => m.id === botId)) await this.sendWelcome(turn);
      await next();
    });
  }

  override async run(turn: TurnContext): Promise<void> {
    const began = performance.now();
    try {
      rememberActor(turn, this.deps.trustedChannels);
      await this.deps.recorder.record(turn);
      await super.run(turn);
      await this.deps.conversationState.saveChanges(turn);
    } finally {
      this.instruments.turnFinished(turnRouteOf(turn), activityTypeOf(turn), secondsSince(began));
    }
  }

  /** Card actions and every other invoke, by name; never the stock handler's 501 or a thrown error. */
  protected override async onInvokeActivity(turn: TurnContext): Promise<InvokeResponse> {
    const began = performance.now();
    const name = turn.activity.name ?? '';
    let status = 500;
    try {
      if (name === CARD_ACTION_INVOKE) {
        const body = await this.cardActions.handle(turn, turn.activity.value);
        status = body.statusCode;
        return { status: body.statusCode, body };
      }
      const response = await this.invokes.handle(turn);
      status = response.status;
      return response;
    } finally {
      const known = name === CARD_ACTION_INVOKE || this.invokes.knows(name);
      this.instruments.invokeFinished(known ? name : 'unknown', status, secondsSince(began));
    }
  }

  private async handleMessage(turn: TurnContext): Promise<void> {
    const raw = TurnContext.removeRecipientMention(turn.activity) ?? turn.activity.text ?? '';
    if (typeof raw === 'string' && raw.length > MAX_TEXT_CHARS) {
      await turn.sendActivity(`That message is ${raw.length.toLocaleString('en-US')} characters long; I read messages of up to ${MAX_TEXT_CHARS.toLocaleString('en-US')}. Nothing was changed.`);
      return;
    }
    const text = normalizeText(typeof raw === 'string' ? raw : '');
    const routed = text ? this.commands.match(text) : null;
    if (routed) setTurnRoute(turn, `command:${routed.route.name}`);
    // Only a soft command needs the dialog state first; the others answer without reading it.
    const dialogFirst = routed?.route.interruptsDialogs === false && (await this.dialogSet.createContext(turn)).activeDialog;
    if (routed && !dialogFirst) return this.runCommand(turn, text, routed);

    // Not a command: it may be an answer inside a dialog (only now do we read dialog state).
    const dialogContext = await this.dialogSet.createContext(turn);
    if (dialogContext.activeDialog) {
      setTurnRoute(turn, `dialog:${dialogContext.activeDialog.id}`);
      await dialogContext.continueDialog();
      return;
    }
    if (await this.answerStaleForm(turn)) return;
    if (!text) return;
    await this.replyUnknown(turn, text);
  }

  private async runCommand(turn: TurnContext, text: string, routed: RouteMatch): Promise<void> {
    const { route, args } = routed;
    if (this.deps.logger.isLevelEnabled('debug')) turnLogger(turn, this.deps.logger).debug({ command: route.name }, 'command');
    if (route.changesState) verifiedActor(turn);
    const outcome = await route.run({ turn, text, args });
    await this.applyOutcome(turn, outcome);
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

  /** A form (Action.Submit) whose dialog ended (cancelled, finished, replaced): say so, use nothing. */
  private async answerStaleForm(turn: TurnContext): Promise<boolean> {
    const value = turn.activity.value as Record<string, unknown> | undefined;
    if (!value || typeof value !== 'object') return false;
    const form = this.forms.find((f) => f.field in value);
    setTurnRoute(turn, 'stale-form');
    await turn.sendActivity(
      `That form belongs to a conversation that has ended (cancelled, finished or replaced by another command), so I did not use it. Nothing was changed. ` +
        (form ? `Type **${form.startAgain}** to start again.` : 'Type **help** to see what I can do.'),
    );
    return true;
  }

  private async replyUnknown(turn: TurnContext, text: string): Promise<void> {
    const suggestions = this.commands.suggest(text);
    const said = codeSpan(text, 60);
    const ideas = suggestions.map((r) => `**${(r.examples[0] ?? r.name).replace(/\?$/, '')}**`);
    const reply = ideas.length
      ? `I did not understand ${said}. Did you mean ${ideas.length > 1 ? `${ideas.slice(0, -1).join(', ')} or ${ideas.at(-1)}` : ideas[0]}? Type **help** for everything I can do.`
      : `I did not understand ${said}. Type **help** to see what I can do.`;
    await turn.sendActivity(MessageFactory.text(reply));
  }

  private async sendWelcome(turn: TurnContext): Promise<void> {
    setTurnRoute(turn, 'welcome');
    const scope = scopeOf(turn);
    const card = renderWelcomeCard({
      greeting: scope === 'personal' ? 'Welcome! 👋' : 'Hello, team! 👋',
      scope,
      highlights: this.commands.routes.slice(0, 4).map((r) => ({ command: r.examples[0] ?? r.name, description: r.description })),
    });
    await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }
}

const CARD_ACTION_INVOKE = 'adaptiveCard/action';
/** Activity types of the Bot Framework schema; anything else a client sends is `other`. */
const ACTIVITY_TYPES = new Set(['message', 'conversationUpdate', 'invoke', 'event', 'messageReaction', 'messageUpdate', 'messageDelete', 'installationUpdate', 'typing', 'endOfConversation', 'contactRelationUpdate', 'deleteUserData', 'handoff', 'trace', 'suggestion', 'command', 'commandResult']);
const activityTypeOf = (turn: TurnContext): string => (ACTIVITY_TYPES.has(turn.activity.type) ? turn.activity.type : 'other');

function scopeOf(turn: TurnContext): ConversationScope {
  const type = turn.activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat') return type;
  return 'personal';
}
