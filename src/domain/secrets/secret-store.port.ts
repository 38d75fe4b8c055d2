/**
 * Secrets in Azure Key Vault, by vault (its URL) and name. Values go in (SecretValue) and never
 * come out: nothing here reads a value back. Names follow Key Vault's rules (1-127 letters, digits,
 * dashes); the caller validates them first.
 * Errors: SECRETS.VAULT_FORBIDDEN { vault, permission } (the bot's identity lacks a data-plane
 * permission on that vault, e.g. "secrets/set"), SECRETS.SOFT_DELETED { vault, name } (a deleted
 * secret holds the name: recover or purge it first), SECRETS.NOT_FOUND { vault, name },
 * SECRETS.VAULT_UNREACHABLE { vault }, UPSTREAM.THROTTLED { retryAfterSeconds }, UPSTREAM.UNAVAILABLE.
 */
import type { SecretValue } from './secret-value';

export interface SecretProperties {
  vault: string;
  name: string;
  version: string;
  enabled: boolean;
  createdOn?: Date;
  updatedOn?: Date;
  expiresOn?: Date;
  notBefore?: Date;
  contentType?: string;
  tags: Record<string, string>;
}

export interface NewSecretVersion {
  value: SecretValue;
  tags: Record<string, string>;
  expiresOn?: Date;
  notBefore?: Date;
  contentType?: string;
}

export interface DeletedSecret {
  vault: string;
  name: string;
  deletedOn?: Date;
  scheduledPurgeDate?: Date;
}

export interface SecretStore {
  /** A new version (the first one creates the secret). */
  setSecret(vault: string, name: string, secret: NewSecretVersion): Promise<SecretProperties>;
  /** The latest version's properties; null when there is no such secret (or it is deleted). */
  getProperties(vault: string, name: string): Promise<SecretProperties | null>;
  /** Every version's properties, newest first. */
  listVersions(vault: string, name: string): Promise<SecretProperties[]>;
  /** The latest version of every secret whose name starts with `prefix` (names and properties only). */
  listSecrets(vault: string, prefix?: string): Promise<SecretProperties[]>;
  /** Changes a version's attributes or tags (e.g. disables an old version after rotation). */
  updateProperties(vault: string, name: string, version: string, change: { enabled?: boolean; expiresOn?: Date; tags?: Record<string, string> }): Promise<SecretProperties>;
  /** Soft delete (recoverable until the vault's retention ends). */
  deleteSecret(vault: string, name: string): Promise<DeletedSecret>;
  /** The soft-deleted secret holding this name, if any. */
  getDeleted(vault: string, name: string): Promise<DeletedSecret | null>;
  recoverSecret(vault: string, name: string): Promise<SecretProperties>;
}
