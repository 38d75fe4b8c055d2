/**
 * The largest descriptor or placeholder target read (bytes). Real ones are kilobytes; OpenAPI
 * documents reach a few hundred: a file over this is refused before it is read or parsed, so a
 * stray dump in a catalog folder cannot exhaust a replica's memory.
 */
export const MAX_DESCRIPTOR_BYTES = 5 * 1024 * 1024;

export const tooLarge = (bytes: number): string => `is ${(bytes / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_DESCRIPTOR_BYTES / 1024 / 1024} MB a descriptor or placeholder target may be`;

/** Where descriptor files come from for `CatalogImportService.importLocations` (a file system). */
export interface ExpandedPaths {
  /** Descriptor files found, absolute, sorted, once each. */
  files: string[];
  /** Folders that were searched (absolute): what disappeared from them is orphaned. */
  folders: string[];
  /** Paths that do not exist or cannot be listed, with why. */
  missing: { path: string; reason: string }[];
}

/**
 * A file's bytes as read (decoded only when they changed since the last import: see import-run),
 * `absent` when there is no such file (deleted: its entities are orphaned), or why it could not be read.
 */
export type DescriptorRead = { path: string; bytes: Buffer } | { path: string; absent: true } | { path: string; error: string };

export interface DescriptorSource {
  /**
   * Files and folders -> descriptor files: a file is taken as is, a folder is searched recursively
   * for `*.yaml` / `*.yml`. Relative paths are resolved against `relativeTo` (a folder) when given.
   */
  expand(paths: string[], relativeTo?: string): Promise<ExpandedPaths>;
  /** Reads the files (in parallel, bounded); each one's bytes or why it could not be read, in order. */
  read(files: string[]): Promise<DescriptorRead[]>;
  /** The folder a file is in (what Location targets in that file are relative to). */
  folderOf(file: string): string;
}
