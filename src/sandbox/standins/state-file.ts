/**
 * One stand-in's state on disk, as JSON. Written through: `save` is synchronous and runs before
 * the stand-in answers the request that changed it, so whatever a client was told happened is on
 * disk, and a kill -9 at any moment loses nothing acknowledged. Each write goes to a temporary
 * file renamed over the old one: a crash mid-write leaves the previous state whole.
 * No fsync: a killed process loses nothing the kernel already holds (only a power cut would).
 */
import fs from 'node:fs';
import path from 'node:path';

export class StateFile {
  private last?: string;

  /** `mode` 0o600 for state holding secret values (Key Vault). */
  constructor(
    readonly file: string,
    private readonly mode = 0o644,
  ) {}

  /** What an earlier run saved; undefined on the first start of a data dir. */
  load(): unknown {
    if (!fs.existsSync(this.file)) return undefined;
    this.last = fs.readFileSync(this.file, 'utf8');
    return JSON.parse(this.last);
  }

  /** Writes `data` unless it is what the file already holds (a refused request changes nothing). */
  save(data: unknown): void {
    const text = JSON.stringify(data);
    if (text === this.last) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text, { mode: this.mode });
    fs.renameSync(temp, this.file);
    this.last = text;
  }
}
