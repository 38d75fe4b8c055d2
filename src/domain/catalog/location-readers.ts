/** The two LocationReaders: descriptor files on disk, and files in Azure DevOps repositories. */
import { isAbsolute, posix, resolve } from 'node:path';
import type { RepositoryInfo } from '../repos/repos.types';
import type { SourceControl } from '../repos/source-control.port';
import { mapWithConcurrency } from './bounded-concurrency';
import { azureDevOpsLocation, fileLocation, filePath, parseAzureDevOpsLocation } from './catalog-locations';
import type { PlaceholderRead } from './descriptor-placeholders';
import { MAX_DESCRIPTOR_BYTES, tooLarge, type DescriptorSource } from './descriptor-source.port';
import type { ParseOptions } from './descriptor-parser';
import type { LocationRead, LocationReader } from './import-run';

export function fileReader(source: DescriptorSource): LocationReader {
  return {
    async read(locations) {
      const reads = await source.read(locations.map((l) => filePath(l)!));
      return reads.map((r): LocationRead => {
        const location = fileLocation(r.path);
        return 'bytes' in r ? { location, content: r.bytes } : 'absent' in r ? { location, absent: true } : { location, error: r.error };
      });
    },
    async follow(from, targets) {
      const expanded = await source.expand(targets, source.folderOf(filePath(from)!));
      return {
        locations: expanded.files.map(fileLocation),
        problems: expanded.missing.map((m) => `Location target ${m.path}: ${m.reason}`),
      };
    },
    parseOptions: () => ({}),
    // Paths relative to the descriptor's folder; URLs are kept as references (a file import fetches from no host).
    async readPlaceholders(from, targets) {
      const out = new Map<string, PlaceholderRead>();
      const files = new Map<string, string>();
      for (const t of targets) {
        if (isUrlTarget(t)) out.set(t, { reference: true });
        else if (isAbsolute(t)) out.set(t, { error: 'an absolute path is not read; write it relative to the descriptor' });
        else files.set(t, resolve(source.folderOf(filePath(from)!), t));
      }
      const reads = files.size ? await source.read([...files.values()]) : [];
      [...files.keys()].forEach((t, i) => {
        const r = reads[i]!;
        out.set(t, 'bytes' in r ? { text: r.bytes.toString('utf8').replace(/^\uFEFF/, '') } : { error: 'absent' in r ? 'no such file' : r.error });
      });
      return out;
    },
  };
}

const isUrlTarget = (t: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(t);

/** Reads `<repo>/catalog-info.yaml` and the files its Location entities point to, within the same repository. */
export function azureDevOpsReader(sourceControl: SourceControl, repositories: Map<string, RepositoryInfo>, concurrency: number): LocationReader {
  const repoOf = (location: string) => {
    const parsed = parseAzureDevOpsLocation(location)!;
    return { ...parsed, info: repositories.get(azureDevOpsLocation(parsed.project, parsed.repository)) };
  };
  return {
    read(locations) {
      return mapWithConcurrency(locations, concurrency, async (location): Promise<LocationRead> => {
        const { project, repository, path } = repoOf(location);
        try {
          const text = await sourceControl.readFile(project, repository, path);
          if (text === null) return { location, absent: true };
          return text.length > MAX_DESCRIPTOR_BYTES ? { location, error: tooLarge(text.length) } : { location, content: text.replace(/^\uFEFF/, '') };
        } catch (e) {
          return { location, error: (e as Error).message };
        }
      });
    },
    async follow(from, targets) {
      const { project, repository, path } = repoOf(from);
      const locations: string[] = [];
      const problems: string[] = [];
      for (const t of targets) {
        const resolved = posix.normalize(posix.join(posix.dirname(path), t));
        if (resolved.startsWith('/..') || !resolved.startsWith('/')) problems.push(`Location target "${t}" is outside the repository`);
        else locations.push(azureDevOpsLocation(project, repository, resolved));
      }
      return { locations, problems };
    },
    // Paths relative to the descriptor, within its repository; URLs only when they name a file of a repository
    // of the configured projects (`.../_git/<repo>?path=/x`); any other URL is a reference, never fetched.
    async readPlaceholders(from, targets) {
      const { project, repository, path } = repoOf(from);
      const out = new Map<string, PlaceholderRead>();
      await Promise.all(targets.map(async (t) => {
        const file = isUrlTarget(t) ? repositoryFile(t, repositories) : inRepository(path, t, project, repository);
        if (!file) return out.set(t, { reference: true });
        if ('error' in file) return out.set(t, file);
        try {
          const text = await sourceControl.readFile(file.project, file.repository, file.path, file.branch);
          out.set(t, text === null ? { error: 'not found' } : text.length > MAX_DESCRIPTOR_BYTES ? { error: tooLarge(text.length) } : { text: text.replace(/^\uFEFF/, '') });
        } catch (e) {
          out.set(t, { error: (e as Error).message });
        }
      }));
      return out;
    },
    parseOptions(location): ParseOptions {
      const { project, repository, info } = repoOf(location);
      return { repository: { project: info?.project ?? project, name: info?.name ?? repository, ...(info?.webUrl ? { url: info.webUrl } : {}) } };
    },
  };
}

type RepositoryFile = { project: string; repository: string; path: string; branch?: string };

function inRepository(descriptor: string, target: string, project: string, repository: string): RepositoryFile | { error: string } {
  const resolved = posix.normalize(posix.join(posix.dirname(descriptor), target));
  if (resolved.startsWith('/..') || !resolved.startsWith('/')) return { error: 'outside the repository' };
  return { project, repository, path: resolved };
}

/** A browse URL of a known repository (`<webUrl>?path=/openapi.yaml&version=GBmain`) -> that file; else undefined. */
function repositoryFile(url: string, repositories: Map<string, RepositoryInfo>): RepositoryFile | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = parsed.searchParams.get('path');
  if (!path) return undefined;
  const base = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '').toLowerCase();
  for (const info of repositories.values()) {
    if (!info.webUrl || info.webUrl.replace(/\/+$/, '').toLowerCase() !== base) continue;
    const version = parsed.searchParams.get('version');
    return { project: info.project, repository: info.name, path: path.startsWith('/') ? path : `/${path}`, ...(version?.startsWith('GB') ? { branch: version.slice(2) } : {}) };
  }
  return undefined;
}
