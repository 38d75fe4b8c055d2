/** "add pipeline to <repo>": the command, its dialog, the preview's buttons and how its job shows progress. */
import type { Feature } from '../../src/bot/feature';
import type { AddPipelineService } from '../../src/domain/repos/add-pipeline.service';
import { addPipelineCardActions } from './add-pipeline.card-actions';
import { ADD_PIPELINE_DIALOG_ID, AddPipelineDialog } from './add-pipeline.dialog';
import { addPipelineJobPresentation } from './add-pipeline.views';

export function addPipelineFeature(service: AddPipelineService): Feature {
  const presentation = addPipelineJobPresentation((jobId, actor) => service.retry(jobId, actor));
  return {
    name: 'add-pipeline',
    commands: [
      {
        name: 'add pipeline',
        description: 'The golden-path pipeline for an existing repository: I detect the stack and show a preview; on Confirm I open a pull request with azure-pipelines.yml and create the pipeline.',
        examples: ['add pipeline to payments-web', 'add pipeline to Payments/payments-web stack=node envs=dev,staging'],
        patterns: [/^add\s+(?:a\s+)?(?:golden[- ]path\s+)?pipeline(?:\s+(?:to|for))?(?:\s+(?<text>.+))?$/i],
        changesState: true,
        run: async ({ args }) => ({ beginDialog: ADD_PIPELINE_DIALOG_ID, options: { text: args.text?.trim() ?? '' } }),
      },
    ],
    dialogs: [new AddPipelineDialog(service)],
    cardActions: addPipelineCardActions(service, presentation),
    jobs: [presentation],
  };
}
