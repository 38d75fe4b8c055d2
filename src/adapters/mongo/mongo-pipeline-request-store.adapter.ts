/** "add pipeline" previews in `pipeline_requests`. */
import type { Connection } from 'mongoose';
import type { PendingPipelineRequest, PipelineRequestStore } from '../../domain/repos/pipeline-request-store.port';
import { MongoPendingRequestStore } from './mongo-pending-request-store.adapter';

export class MongoPipelineRequestStore extends MongoPendingRequestStore<PendingPipelineRequest> implements PipelineRequestStore {
  constructor(conn: Connection) {
    super(conn, 'PipelineRequest', 'pipeline_requests');
  }
}
