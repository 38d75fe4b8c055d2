/**
 * "create repo": one shot (`create repo name=... project=... stack=... owner=... description="..."
 * envs=...`) or multi-turn with a form that asks only for what is missing or wrong, each problem
 * said in words (why the name is refused and a valid one to try, the known projects, the team).
 * Ends with the preview card; Confirm / Cancel are card actions (create-repo.card-actions.ts),
 * so the click can land on any replica, minutes later. Nothing is created in this dialog.
 */
import { MessageFactory } from 'botbuilder';
import { ComponentDialog, Dialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { renderCreateRepoForm } from '../../cards/create-repo-form.card';
import { cardAttachment } from '../../cards/render';
import { renderRepoPreviewCard } from '../../cards/repo-preview.card';
import type { CreateRepoService } from '../../src/domain/repos/create-repo.service';
import { parseKeyValueCommand } from '../../src/domain/repos/repo-request';
import { describeProblem, FIELD_LABELS, type RepoFormValues } from '../../src/domain/repos/repo-request-fields';
import { actingUser } from '../../src/bot/identity';
import { CREATE_REPO_FORM_FIELD, formView, mergeSubmitted } from './create-repo-form';
import { previewView } from './create-repo.views';
import { postedPreviewViewer } from '../common/preview-card-actions';

export const CREATE_REPO_DIALOG_ID = 'create-repo';
const STEPS = `${CREATE_REPO_DIALOG_ID}.steps`;

export interface CreateRepoOptions {
  /** The first message after "create repo" (key=value pairs), on the first round. */
  text?: string;
  /** What is known so far, on later rounds. */
  values?: RepoFormValues;
  /** Problems with the last input that the form cannot show (unknown keys, bare words). */
  notes?: string[];
}

export class CreateRepoDialog extends ComponentDialog {
  constructor(private readonly service: CreateRepoService) {
    super(CREATE_REPO_DIALOG_ID);
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.evaluate(step), (step) => this.collect(step)]));
    this.initialDialogId = STEPS;
  }

  /** Checks what is known; ends with the preview, or shows the form and waits. */
  private async evaluate(step: WaterfallStepContext) {
    const options = (step.options ?? {}) as CreateRepoOptions;
    const parsed = options.values ? { values: options.values, problems: [] } : parseKeyValueCommand(options.text ?? '');
    const values = parsed.values;
    const notes = [...(options.notes ?? []), ...parsed.problems];
    const actor = actingUser(step.context);
    const result = await this.service.plan(values, actor);

    switch (result.kind) {
      case 'ready': {
        const card = renderRepoPreviewCard(previewView(result.pending, postedPreviewViewer(step.context.activity.conversation?.conversationType)));
        await step.context.sendActivity(MessageFactory.attachment(cardAttachment(card), 'Here is exactly what I will create. Nothing exists yet: confirm or cancel on the card.'));
        return step.endDialog(result.pending.id);
      }
      case 'exists': {
        const { repository: r } = result;
        await step.context.sendActivity(
          `**${r.project}/${r.name}** already exists: [open it](${r.webUrl}). Nothing was created. ` +
            `To give it the golden-path pipeline, type **add pipeline to ${r.name}**; for a new repository, pick another name.`,
        );
        return step.endDialog();
      }
      case 'denied':
        await step.context.sendActivity(`I cannot create it for you: ${result.reason} Nothing was created.`);
        return step.endDialog();
      case 'needs-input': {
        (step.values as { values?: RepoFormValues }).values = values;
        const sentences = [...notes, ...result.problems.map((p) => describeProblem(p, values))];
        const missing = result.missing.map((f) => FIELD_LABELS[f].toLowerCase());
        const lines = [
          ...(sentences.length ? ['Some values need fixing (nothing was created):', ...sentences.map((s) => `- ${s}`)] : []),
          ...(missing.length ? [`${sentences.length ? 'Also missing' : 'I still need'}: ${missing.join(', ')}.`] : []),
          'Fill in the form, or type the values as key=value pairs. Type **cancel** to stop.',
        ];
        const card = renderCreateRepoForm(formView(values, result.missing, result.problems, result.knownProjects));
        await step.context.sendActivity(MessageFactory.attachment(cardAttachment(card), lines.join('\n')));
        return Dialog.EndOfTurn;
      }
    }
  }

  /** The form's submit, its Cancel button, or typed key=value pairs; then check again. */
  private async collect(step: WaterfallStepContext) {
    const values = (step.values as { values?: RepoFormValues }).values ?? {};
    const submitted = step.context.activity.value as Record<string, unknown> | undefined;
    if (submitted && submitted[CREATE_REPO_FORM_FIELD] === 'cancel') {
      await step.context.sendActivity('Cancelled. Nothing was created.');
      return step.endDialog();
    }
    if (submitted && typeof submitted === 'object') return step.replaceDialog(STEPS, { values: mergeSubmitted(values, submitted) } satisfies CreateRepoOptions);
    const typed = parseKeyValueCommand(String(step.result ?? ''));
    return step.replaceDialog(STEPS, { values: { ...values, ...typed.values }, notes: typed.problems } satisfies CreateRepoOptions);
  }
}
