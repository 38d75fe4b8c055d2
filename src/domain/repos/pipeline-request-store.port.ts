/** Previewed "add pipeline" requests waiting for the requester's Confirm or Cancel. */
import type { PendingRecord, PendingRequestStore } from '../requests/pending-request-store.port';
import type { AddPipelineJobInput } from './add-pipeline.job';

export interface PendingPipelineRequest extends PendingRecord {
  /** Everything the job will do, checked when the preview was made (and again on Confirm). */
  input: AddPipelineJobInput;
  /** Whether the repository already had a catalog-info.yaml (the job adds one otherwise). */
  hasDescriptor: boolean;
  /** The requester's Teams channel id (29:...): the card's refresh shows the buttons to them only. */
  requesterChannelId?: string;
}

export type PipelineRequestStore = PendingRequestStore<PendingPipelineRequest>;
