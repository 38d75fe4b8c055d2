/**
 * The part of js-yaml 4 (no bundled types) that yaml-documents.ts uses. Delete this file if
 * @types/js-yaml is installed.
 */
declare module 'js-yaml' {
  export interface Schema {
    readonly __brand?: 'js-yaml schema';
  }
  export const CORE_SCHEMA: Schema;
  export function loadAll(text: string, iterator?: null, options?: { schema?: Schema; filename?: string; json?: boolean }): unknown[];
}
