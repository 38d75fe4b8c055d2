/**
 * Every collection the bot keeps in MongoDB, with its schema's indexes: what `npm run db:migrate`
 * creates and what a production start checks. A model an adapter registers on a connection must be
 * listed here (test/unit/mongo-models.test.ts constructs every adapter and compares).
 */
import { approvalModel, approvalSubjectModel } from './mongo-approval-store.adapter';
import { auditModel } from './mongo-audit-log.adapter';
import { botStateModel } from './mongo-bot-storage.adapter';
import { catalogEntityModel, catalogLocationModel, catalogMetaModel } from './catalog-models';
import { conversationModel } from './mongo-conversation-directory.adapter';
import { digestDeliveryModel } from './mongo-digest-delivery-store.adapter';
import { secretExpiryReminderModel } from './mongo-expiry-reminder-store.adapter';
import { feedbackModel } from './mongo-feedback-store.adapter';
import { catalogFixModel } from './mongo-fix-record-store.adapter';
import { healthRunModel, healthTeamResultModel } from './mongo-health-run-store.adapter';
import { healthWaiverModel } from './mongo-health-waiver-store.adapter';
import { indexChunkModel, indexSnapshotModel } from './mongo-index-snapshot-store.adapter';
import { jobModel } from './mongo-job-store.adapter';
import { onboardingModel } from './mongo-onboarding-store.adapter';
import { secretPendingDisableModel } from './mongo-pending-disable-store.adapter';
import { pipelineRequestModel } from './mongo-pipeline-request-store.adapter';
import { repoRequestModel } from './mongo-repo-request-store.adapter';
import type { ModelDefinition } from './model-definition';

export const MONGO_MODELS: readonly ModelDefinition[] = [
  approvalModel,
  approvalSubjectModel,
  auditModel,
  botStateModel,
  catalogEntityModel,
  catalogLocationModel,
  catalogMetaModel,
  catalogFixModel,
  indexSnapshotModel,
  indexChunkModel,
  conversationModel,
  digestDeliveryModel,
  feedbackModel,
  healthRunModel,
  healthTeamResultModel,
  healthWaiverModel,
  jobModel,
  onboardingModel,
  pipelineRequestModel,
  repoRequestModel,
  secretExpiryReminderModel,
  secretPendingDisableModel,
] as ModelDefinition[];
