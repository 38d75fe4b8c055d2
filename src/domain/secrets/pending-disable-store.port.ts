/**
 * The previous versions a rotation disables once its grace period is over, kept in MongoDB so a
 * restart or another replica still disables them. One record per rotation (its request key): a
 * re-run of the rotation job adds the same record again, which changes nothing.
 */

export interface PendingDisable {
  /** The rotation's request key. */
  id: string;
  /** The vault's URL and Azure name, the stored secret name. */
  vault: string;
  vaultName: string;
  name: string;
  /** The versions to disable (never the new one). */
  versions: string[];
  /** The version the rotation wrote: kept enabled. */
  keep: string;
  dueAt: Date;
  service: string;
  env: string;
  requestedBy: string;
  createdAt: Date;
  /** Set when done: what was disabled, what had gone (deleted meanwhile). */
  doneAt?: Date;
  disabled?: string[];
  gone?: string[];
}

export interface PendingDisableStore {
  /** Adds it unless a record with its id exists (which is kept as it is). */
  add(pending: PendingDisable): Promise<void>;
  get(id: string): Promise<PendingDisable | null>;
  /** Not done, due at or before `now`, soonest first, at most `limit`. */
  due(now: Date, limit: number): Promise<PendingDisable[]>;
  /** Marks it done (a second call keeps the first outcome). */
  markDone(id: string, outcome: { at: Date; disabled: string[]; gone: string[] }): Promise<void>;
}
