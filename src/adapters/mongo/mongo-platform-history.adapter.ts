/**
 * PlatformHistory on MongoDB: read-only queries on the collections the flows' own adapters write
 * (`jobs`, `approvals`, `repo_requests`, `pipeline_requests`, `onboardings`), through the driver
 * with projections, so reading never touches those adapters' models or their writes. A range on
 * `createdAt` is the only filter (an index `{ createdAt: 1 }` per collection, made by `npm run db:migrate`, serves it;
 * the embedded store scans). Whole `steps` are read: the embedded store drops a projection into an array.
 */
import type { Connection, mongo } from 'mongoose';
import type { ApprovalHistoryRecord, JobHistoryRecord, OnboardingHistoryRecord, PlatformHistory, PreviewHistoryRecord } from '../../domain/platform-metrics/platform-history.port';

type Document = mongo.Document;
type Filter<T> = mongo.Filter<T>;
type Doc = Document & { _id: { toHexString(): string } | string };

const idOf = (doc: Doc): string => (typeof doc._id === 'string' ? doc._id : doc._id.toHexString());
const dateOr = (v: unknown): Date | undefined => (v instanceof Date ? v : undefined);
const since = (at: Date): Filter<Document> => ({ createdAt: { $gte: at } });

export class MongoPlatformHistory implements PlatformHistory {
  constructor(private readonly conn: Connection) {}

  private async read(collection: string, filter: Filter<Document>, projection: Record<string, 1>): Promise<Doc[]> {
    const db = this.conn.db;
    if (!db) throw new Error('the store connection is not open');
    return (await db.collection(collection).find(filter, { projection }).toArray()) as Doc[];
  }

  async jobsCreatedSince(at: Date): Promise<JobHistoryRecord[]> {
    const docs = await this.read('jobs', since(at), { type: 1, idempotencyKey: 1, status: 1, createdAt: 1, finishedAt: 1, steps: 1, lastRetry: 1, 'input.request.project': 1, 'input.request.name': 1 });
    return docs.map((d) => {
      const request = (d.input as { request?: { project?: unknown; name?: unknown } } | undefined)?.request;
      const finishedAt = dateOr(d.finishedAt);
      return {
        id: idOf(d),
        type: String(d.type),
        idempotencyKey: String(d.idempotencyKey),
        status: d.status as JobHistoryRecord['status'],
        createdAt: d.createdAt as Date,
        ...(finishedAt ? { finishedAt } : {}),
        stepAttempts: Array.isArray(d.steps) ? (d.steps as { attempts?: unknown }[]).map((s) => Number(s.attempts ?? 0)) : [],
        retriedByUser: Boolean(d.lastRetry),
        ...(typeof request?.project === 'string' && typeof request.name === 'string' ? { repository: { project: request.project, name: request.name } } : {}),
      };
    });
  }

  async approvalsCreatedSince(at: Date): Promise<ApprovalHistoryRecord[]> {
    const docs = await this.read('approvals', since(at), { flow: 1, state: 1, createdAt: 1, endedAt: 1 });
    return docs.map((d) => {
      const endedAt = dateOr(d.endedAt);
      return { id: idOf(d), flow: String(d.flow), state: d.state as ApprovalHistoryRecord['state'], createdAt: d.createdAt as Date, ...(endedAt ? { endedAt } : {}) };
    });
  }

  async previewsCreatedSince(at: Date): Promise<PreviewHistoryRecord[]> {
    const projection = { status: 1, createdAt: 1 } as const;
    const [repos, pipelines] = await Promise.all([this.read('repo_requests', since(at), projection), this.read('pipeline_requests', since(at), projection)]);
    const of = (kind: PreviewHistoryRecord['kind']) => (d: Doc): PreviewHistoryRecord => ({ id: idOf(d), kind, status: d.status as PreviewHistoryRecord['status'], createdAt: d.createdAt as Date });
    return [...repos.map(of('create-repo')), ...pipelines.map(of('add-pipeline'))];
  }

  async onboardingsCreatedSince(at: Date): Promise<OnboardingHistoryRecord[]> {
    const docs = await this.read('onboardings', since(at), { recordId: 1, state: 1, createdAt: 1, activeAt: 1 });
    return docs.map((d) => {
      const activeAt = dateOr(d.activeAt);
      return { id: String(d.recordId), state: d.state as OnboardingHistoryRecord['state'], createdAt: d.createdAt as Date, ...(activeAt ? { activeAt } : {}) };
    });
  }
}
