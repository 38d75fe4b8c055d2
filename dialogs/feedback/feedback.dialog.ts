import { randomUUID } from 'node:crypto';
import {
  ChoiceFactory,
  ChoicePrompt,
  ComponentDialog,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { actingUser } from '../../src/bot/identity';
import { userMessageFor } from '../../src/bot/messages';
import type { FeedbackService } from '../../src/domain/feedback/feedback.service';
import { FEEDBACK_URGENCIES, type FeedbackUrgency } from '../../src/domain/feedback/feedback.types';

export const FEEDBACK_DIALOG_ID = 'feedback';
const TEXT_PROMPT = 'feedback.text';
const URGENCY_PROMPT = 'feedback.urgency';

interface FeedbackOptions {
  /** Text given with the command ("feedback the docs link is dead") skips the first question. */
  text?: string;
}

interface FeedbackValues {
  text?: string;
  idempotencyKey: string;
}

/**
 * "feedback": asks what the platform team should know and how urgent it is, then records it.
 * Multi-turn; its state lives in the shared store, so any replica can continue it.
 */
export class FeedbackDialog extends ComponentDialog {
  constructor(private readonly feedback: FeedbackService) {
    super(FEEDBACK_DIALOG_ID);
    this.addDialog(new TextPrompt(TEXT_PROMPT, (p) => this.validateText(p)));
    this.addDialog(new ChoicePrompt(URGENCY_PROMPT));
    this.addDialog(
      new WaterfallDialog(`${FEEDBACK_DIALOG_ID}.steps`, [
        (step) => this.askText(step),
        (step) => this.askUrgency(step),
        (step) => this.submit(step),
      ]),
    );
    this.initialDialogId = `${FEEDBACK_DIALOG_ID}.steps`;
  }

  private values(step: WaterfallStepContext): FeedbackValues {
    return step.values as FeedbackValues;
  }

  private async validateText(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const problem = this.feedback.validateText(prompt.recognized.value ?? '');
    if (problem && prompt.recognized.succeeded) await prompt.context.sendActivity(userMessageFor(problem, prompt.context.activity.id ?? 'unknown').text);
    return problem === null;
  }

  private async askText(step: WaterfallStepContext) {
    this.values(step).idempotencyKey = randomUUID();
    const given = (step.options as FeedbackOptions | undefined)?.text?.trim();
    if (given && this.feedback.validateText(given) === null) return step.next(given);
    return step.prompt(TEXT_PROMPT, {
      prompt: 'What should the platform team know? (type "cancel" to stop)',
      retryPrompt: 'Please describe it in a few words.',
    });
  }

  private async askUrgency(step: WaterfallStepContext) {
    this.values(step).text = step.result as string;
    return step.prompt(URGENCY_PROMPT, {
      prompt: 'How urgent is it?',
      retryPrompt: `Please pick one of: ${FEEDBACK_URGENCIES.join(', ')}.`,
      choices: ChoiceFactory.toChoices([...FEEDBACK_URGENCIES]),
      style: ListStyle.suggestedAction,
    });
  }

  private async submit(step: WaterfallStepContext) {
    const { text, idempotencyKey } = this.values(step);
    const actor = actingUser(step.context);
    const record = await this.feedback.submit({
      text: text ?? '',
      urgency: (step.result as { value: string }).value as FeedbackUrgency,
      from: { id: actor.id, name: actor.name },
      conversationId: step.context.activity.conversation.id,
      idempotencyKey,
    });
    await step.context.sendActivity(`Thanks! Recorded as ${record.reference} (${record.urgency}). The platform team reviews feedback daily.`);
    return step.endDialog(record.reference);
  }
}
