/**
 * The stand-ins' ports, kept under DATA_DIR so a restart listens where the previous run did: URLs
 * the bot stored while it ran (repository web URLs in job outputs and the catalog, the Bot
 * Connector's serviceUrl in conversation references, which a resumed job's card updates use)
 * keep working. A port taken meanwhile falls back to any free one.
 */
import fs from 'node:fs';
import path from 'node:path';

export type StandInPorts = Record<string, number>;

export function readPorts(file: string): StandInPorts {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StandInPorts;
  } catch {
    return {}; // first start, or unreadable: any free ports
  }
}

export function writePorts(file: string, urls: Record<string, string>): void {
  const ports = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, Number(new URL(url).port)]));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(ports));
  fs.renameSync(temp, file);
}
