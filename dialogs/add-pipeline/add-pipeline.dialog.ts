/**
 * "add pipeline to <repo>" (also `Project/repo`, and optional `stack=`, `envs=`, `owner=`): finds
 * the repository, says so when it already has a pipeline, detects the stack from its root files
 * (asks when there are several or none), learns the owner (asks when nothing names one), then
 * shows the preview; Confirm (a card action) starts the job that opens the pull request and creates
 * the pipeline. Nothing changes in this dialog.
 */
import { MessageFactory } from 'botbuilder';
import {
  ChoiceFactory,
  ChoicePrompt,
  ComponentDialog,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { cardAttachment } from '../../cards/render';
import { renderPipelinePreviewCard } from '../../cards/pipeline-preview.card';
import { codeSpan } from '../../cards/teams-markdown';
import { actingUser } from '../../src/bot/identity';
import { userMessageFor } from '../../src/bot/messages';
import { ENVIRONMENTS, STACKS, type Environment, type Stack } from '../../src/domain/pipelines/pipelines.types';
import type { AddPipelineRequest, AddPipelineService, Inspection } from '../../src/domain/repos/add-pipeline.service';
import { parseKeyValueCommand, STACK_LABELS, stackFromAlias } from '../../src/domain/repos/repo-request';
import { isDomainError } from '../../src/domain/domain-error';
import { previewView } from './add-pipeline.views';
import { postedPreviewViewer } from '../common/preview-card-actions';

export const ADD_PIPELINE_DIALOG_ID = 'add-pipeline';
const STEPS = `${ADD_PIPELINE_DIALOG_ID}.steps`;
const CHOICE = `${ADD_PIPELINE_DIALOG_ID}.choice`;
const TEAM = `${ADD_PIPELINE_DIALOG_ID}.team`;

export interface AddPipelineOptions {
  /** What follows "add pipeline to": `payments-web stack=node`. */
  text?: string;
}

interface State {
  repository: string;
  project?: string;
  stack?: Stack;
  environments: Environment[];
  ownerTeam?: string;
  ready?: Extract<Inspection, { kind: 'ready' }>;
}

export class AddPipelineDialog extends ComponentDialog {
  constructor(private readonly service: AddPipelineService) {
    super(ADD_PIPELINE_DIALOG_ID);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new TextPrompt(TEAM, (p) => this.validateTeam(p)));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        (step) => this.find(step),
        (step) => this.afterProject(step),
        (step) => this.askStack(step),
        (step) => this.askOwner(step),
        (step) => this.start(step),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  private state(step: WaterfallStepContext): State {
    return step.values as State;
  }

  private async find(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = ((step.options ?? {}) as AddPipelineOptions).text?.trim() ?? '';
    const [first = '', ...rest] = text.split(/\s+/);
    const bare = first && !first.includes('=') ? first : undefined;
    const { values, problems } = parseKeyValueCommand(bare ? rest.join(' ') : text);
    const repository = bare ?? values.name;
    if (!repository) {
      await step.context.sendActivity('Which repository? For example: **add pipeline to payments-web** (or Payments/payments-web).');
      return step.endDialog();
    }
    if (problems.length) await step.context.sendActivity(`I ignored part of that: ${codeSpan(problems.join('; '), 200)}.`);
    const state = this.state(step);
    Object.assign(state, {
      repository,
      ...(values.project ? { project: values.project } : {}),
      ...(values.stack ? { stack: values.stack } : {}),
      environments: values.environments ?? [...ENVIRONMENTS],
      ...(values.ownerTeam ? { ownerTeam: values.ownerTeam } : {}),
    });
    const inspection = await this.service.inspect(repository, state.project);
    if (inspection.kind === 'choose-project') {
      return step.prompt(CHOICE, {
        prompt: `There is a repository "${inspection.repository}" in ${inspection.projects.join(' and ')}. Which project?`,
        choices: ChoiceFactory.toChoices(inspection.projects),
        style: ListStyle.suggestedAction,
      });
    }
    return step.next(inspection);
  }

  private async afterProject(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = this.state(step);
    const chosen = (step.result as FoundChoice | undefined)?.value;
    const inspection = chosen ? await this.service.inspect(state.repository, chosen) : (step.result as Inspection);
    switch (inspection.kind) {
      case 'not-found':
        await step.context.sendActivity(`I could not find a repository ${codeSpan(inspection.repository)} in ${inspection.searched.length ? codeSpan(inspection.searched.join(', ')) : 'the projects I work in'}. Check the name, or type **create repo** for a new one.`);
        return step.endDialog();
      case 'choose-project':
        await step.context.sendActivity('That name still matches several repositories; try again with Project/repository.');
        return step.endDialog();
      case 'unsupported':
        await step.context.sendActivity(`I cannot add a pipeline to ${inspection.repository.project}/${inspection.repository.name}: ${inspection.reason}.`);
        return step.endDialog();
      case 'has-pipeline': {
        const list = inspection.pipelines.map((p) => `[${p.name}](${p.url})${p.yamlPath ? ` (${p.yamlPath.replace(/^\//, '')})` : ''}`).join(', ');
        await step.context.sendActivity(`${inspection.repository.project}/${inspection.repository.name} already has a pipeline: ${list}. I changed nothing.`);
        return step.endDialog();
      }
      case 'ready':
        state.ready = inspection;
        return step.next();
    }
  }

  private async askStack(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = this.state(step);
    const { detection, repository } = state.ready!;
    if (state.stack) return step.next();
    if (detection.stack) {
      state.stack = detection.stack;
      return step.next();
    }
    const candidates = detection.candidates.length ? detection.candidates : [...STACKS];
    const found = detection.candidates.length
      ? `I found build files for ${detection.candidates.map((s) => STACK_LABELS[s]).join(' and ')} at the root of ${repository.name}.`
      : `I found no build file I know (pom.xml, build.gradle, package.json, pyproject.toml, requirements.txt, setup.py) at the root of ${repository.name}.`;
    return step.prompt(CHOICE, {
      prompt: `${found} Which stack should the pipeline build?`,
      choices: ChoiceFactory.toChoices(candidates.map((s) => STACK_LABELS[s])),
      style: ListStyle.suggestedAction,
    });
  }

  private async askOwner(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = this.state(step);
    const picked = (step.result as FoundChoice | undefined)?.value;
    if (picked) state.stack = (Object.keys(STACK_LABELS) as Stack[]).find((s) => STACK_LABELS[s] === picked) ?? stackFromAlias(picked);
    const { ownerTeam, repository } = state.ready!;
    // The repository's own descriptor (or the catalog) is the authority on its owner.
    if (ownerTeam) state.ownerTeam = ownerTeam;
    if (state.ownerTeam) return step.next();
    return step.prompt(TEAM, {
      prompt: `Nothing says who owns ${repository.name} yet. Which team owns it? Give its catalog name, e.g. team-payments (it goes into catalog-info.yaml).`,
      retryPrompt: 'Please give the catalog name of a team, e.g. team-payments, or type cancel.',
    });
  }

  private async start(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = this.state(step);
    if (typeof step.result === 'string' && step.result.trim()) state.ownerTeam = step.result.trim();
    const { repository, hasDescriptor } = state.ready!;
    const request: AddPipelineRequest = { repository, stack: state.stack!, environments: state.environments, ownerTeam: state.ownerTeam!, hasDescriptor };
    // Refusals (the team, the policy, the generators) reach the person through the bot's guard.
    const pending = await this.service.preview(request, actingUser(step.context));
    const card = renderPipelinePreviewCard(previewView(pending, postedPreviewViewer(step.context.activity.conversation?.conversationType)));
    await step.context.sendActivity(MessageFactory.attachment(cardAttachment(card), 'Here is exactly what I will do. Nothing changes until you confirm on the card.'));
    return step.endDialog(pending.id);
  }

  private async validateTeam(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const name = prompt.recognized.value?.trim();
    if (!name) return false;
    try {
      await this.service.team(name);
      return true;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await prompt.context.sendActivity(userMessageFor(e, prompt.context.activity.id ?? 'unknown').text);
      return false;
    }
  }
}
