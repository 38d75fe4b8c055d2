/**
 * DescriptorSource on the local file system (CATALOG_LOCATIONS, the CLI): folders are walked
 * recursively for `*.yaml` / `*.yml` (skipping dot-folders and node_modules); files are read in
 * parallel with a bound, so a folder of thousands of descriptors neither serialises nor exhausts
 * file handles.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { mapWithConcurrency } from '../../domain/catalog/bounded-concurrency';
import { MAX_DESCRIPTOR_BYTES, tooLarge, type DescriptorRead, type DescriptorSource, type ExpandedPaths } from '../../domain/catalog/descriptor-source.port';

export interface FileDescriptorSourceOptions {
  /** Files read at once. */
  concurrency?: number;
  /** What relative paths are resolved against (default: the process's working directory). */
  cwd?: string;
}

const DESCRIPTOR = /\.ya?ml$/i;
const SKIPPED_FOLDERS = new Set(['node_modules']);

export class FileDescriptorSource implements DescriptorSource {
  private readonly concurrency: number;
  private readonly cwd: string;

  constructor(options: FileDescriptorSourceOptions = {}) {
    this.concurrency = options.concurrency ?? 16;
    this.cwd = options.cwd ?? process.cwd();
  }

  async expand(paths: string[], relativeTo?: string): Promise<ExpandedPaths> {
    const files = new Set<string>();
    const folders: string[] = [];
    const missing: ExpandedPaths['missing'] = [];
    for (const p of paths) {
      const abs = path.resolve(relativeTo ?? this.cwd, p);
      try {
        const info = await stat(abs);
        if (info.isDirectory()) {
          folders.push(abs);
          for (const f of await walk(abs)) files.add(f);
        } else files.add(abs);
      } catch (e) {
        missing.push({ path: abs, reason: reasonOf(e) });
      }
    }
    return { files: [...files].sort(), folders, missing };
  }

  read(files: string[]): Promise<DescriptorRead[]> {
    return mapWithConcurrency(files, this.concurrency, async (file): Promise<DescriptorRead> => {
      try {
        const { size } = await stat(file);
        if (size > MAX_DESCRIPTOR_BYTES) return { path: file, error: tooLarge(size) };
        return { path: file, bytes: await readFile(file) };
      } catch (e) {
        // Gone is not unreadable: a deleted file's entities are orphaned, an unreadable one's kept.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path: file, absent: true };
        return { path: file, error: reasonOf(e) };
      }
    });
  }

  folderOf(file: string): string {
    return path.dirname(file);
  }
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const full = path.join(folder, e.name);
      if (e.isDirectory()) return e.name.startsWith('.') || SKIPPED_FOLDERS.has(e.name) ? [] : walk(full);
      return e.isFile() && DESCRIPTOR.test(e.name) ? [full] : [];
    }),
  );
  return nested.flat();
}

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (e as Error).message;
}
