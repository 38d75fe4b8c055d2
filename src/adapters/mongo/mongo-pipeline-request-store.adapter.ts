/** "add pipeline" previews in `pipeline_requests`. */
import type { Connection } from 'mongoose';
import type { PendingPipelineRequest, PipelineRequestStore } from '../../domain/repos/pipeline-request-store.port';
import { defineModel } from './model-definition';
import { MongoPendingRequestStore, pendingRequestSchema, type StoredDoc } from './mongo-pending-request-store.adapter';

export const pipelineRequestModel = defineModel<StoredDoc>('PipelineRequest', pendingRequestSchema('pipeline_requests'));

export class MongoPipelineRequestStore extends MongoPendingRequestStore<PendingPipelineRequest> implements PipelineRequestStore {
  constructor(conn: Connection) {
    super(conn, pipelineRequestModel);
  }
}
