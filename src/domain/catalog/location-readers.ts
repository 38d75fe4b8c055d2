/** The two LocationReaders: descriptor files on disk, and files in Azure DevOps repositories. */
import { posix } from 'node:path';
import type { RepositoryInfo } from '../repos/repos.types';
import type { SourceControl } from '../repos/source-control.port';
import { mapWithConcurrency } from './bounded-concurrency';
import { azureDevOpsLocation, fileLocation, filePath, parseAzureDevOpsLocation } from './catalog-locations';
import type { DescriptorSource } from './descriptor-source.port';
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
  };
}

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
          return text === null ? { location, absent: true } : { location, content: text.replace(/^\uFEFF/, '') };
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
    parseOptions(location): ParseOptions {
      const { project, repository, info } = repoOf(location);
      return { repository: { project: info?.project ?? project, name: info?.name ?? repository, ...(info?.webUrl ? { url: info.webUrl } : {}) } };
    },
  };
}
