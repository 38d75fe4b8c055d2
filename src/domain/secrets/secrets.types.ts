/**
 * A secret request as previewed, approved and provisioned: which service, environment, vault and
 * stored name, when it expires and how often it rotates, where the workload reads it from, and how
 * the value comes (generated in the job, or typed in the Teams dialog). Never the value itself: this
 * travels in cards, approval payloads and job inputs.
 */
import type { ValueSource } from './secret-request';

export const SECRET_FLOW = 'secret';

export interface SecretServiceRef {
  /** Catalog ref of the Component. */
  ref: string;
  name: string;
  /** The owning team (catalog Group ref and name). */
  ownerRef: string;
  ownerName: string;
  /** Azure DevOps Project/repo, when the service has one (the mount PR goes there). */
  repository?: { project: string; name: string };
  /** The workload identity's client id (catalog annotation azure.workload.identity/client-id). */
  workloadClientId?: string;
}

export interface SecretPlan {
  service: SecretServiceRef;
  env: string;
  /** The part the user chose (db-password). */
  name: string;
  /** The name in Key Vault (payments-api--dev--db-password). */
  vaultName: string;
  vault: { url: string; name: string; resourceId: string };
  /** Where the workload's "Key Vault Secrets User" role is assigned. */
  accessScope: string;
  expiresOn?: string;
  rotationDays?: number;
  valueSource: ValueSource;
  /** Production: another owner approves first. */
  needsApproval: boolean;
  requester: { id: string; name: string };
  /** A pipeline variable (`set secret variable`): after mounting, linked into this Key Vault-linked group. */
  link?: PipelineLink;
}

/** Where a secret variable is linked: the group `vg-<service>-<env>-secrets` in the service's project, read by one stage. */
export interface PipelineLink {
  project: string;
  group: string;
  /** The deployment stage of azure-pipelines.yml that must name the group (Deploy_<env>). */
  stage: string;
  /** The variable name pipelines read (the Key Vault secret's name: linked groups name variables after secrets). */
  variable: string;
}
