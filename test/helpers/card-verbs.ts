/** Every Action.Execute verb a card can send (each card file exports its own). */
import { CATALOG_PICK_VERB } from '../../cards/catalog-choices.card';
import { JOB_RETRY_VERB } from '../../cards/job-progress.card';
import { PIPELINE_PREVIEW_VERBS } from '../../cards/pipeline-preview.card';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { SHOW_HELP_VERB } from '../../cards/welcome.card';

export const allCardVerbs = (): string[] => [SHOW_HELP_VERB, CATALOG_PICK_VERB, JOB_RETRY_VERB, ...Object.values(REPO_PREVIEW_VERBS), ...Object.values(PIPELINE_PREVIEW_VERBS)];
