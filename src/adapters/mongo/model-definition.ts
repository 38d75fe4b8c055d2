/**
 * One MongoDB collection the bot uses: its mongoose model name and schema (fields and indexes).
 * Adapters get their models through `of(conn)`; the migration (`npm run db:migrate`) and the
 * production start check read the same definitions from the registry (mongo-models.ts), so an
 * index declared on a schema is an index the migration creates.
 */
import type { Connection, Model, Schema } from 'mongoose';

export interface ModelDefinition<T = unknown> {
  readonly name: string;
  readonly collection: string;
  readonly schema: Schema<T>;
  /** The model on this connection, registered on first use. */
  of(conn: Connection): Model<T>;
}

export function defineModel<T>(name: string, schema: Schema<T>): ModelDefinition<T> {
  const collection = schema.get('collection');
  if (!collection) throw new Error(`Model ${name}: its schema must name its collection`);
  return {
    name,
    collection,
    schema,
    of: (conn) => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema),
  };
}
