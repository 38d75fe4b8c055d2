/** "create repo": the command, its dialog, the preview's buttons and how its job shows progress. */
import type { Feature } from '../../src/bot/feature';
import type { CreateRepoService } from '../../src/domain/repos/create-repo.service';
import { createRepoCardActions } from './create-repo.card-actions';
import { CREATE_REPO_DIALOG_ID, CreateRepoDialog } from './create-repo.dialog';
import { CREATE_REPO_FORM_FIELD } from './create-repo-form';
import { createRepoJobPresentation } from './create-repo.views';

export function createRepoFeature(service: CreateRepoService): Feature {
  const presentation = createRepoJobPresentation((jobId, actor) => service.retry(jobId, actor));
  return {
    name: 'create-repo',
    commands: [
      {
        name: 'create repo',
        description:
          'A new repository from the golden path: runnable skeleton, README with ownership, catalog entry, pipeline and branch policies, after a preview you confirm. ' +
          'Give everything at once as key=value pairs (name, project, stack, owner, description, envs), or I ask for what is missing.',
        examples: ['create repo', 'create repo name=payments-ledger project=Payments stack=node owner=team-payments description="Ledger of card payments" envs=dev,staging,prod'],
        patterns: [/^(?:create|new)\s+(?:a\s+)?(?:repo|repository)\b(?<text>.*)$/i],
        changesState: true,
        run: async ({ args }) => ({ beginDialog: CREATE_REPO_DIALOG_ID, options: { text: args.text?.trim() ?? '' } }),
      },
    ],
    dialogs: [new CreateRepoDialog(service)],
    cardActions: createRepoCardActions(service, presentation),
    forms: [{ field: CREATE_REPO_FORM_FIELD, startAgain: 'create repo' }],
    jobs: [presentation],
  };
}
