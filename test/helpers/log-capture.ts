import { Writable } from 'node:stream';

/** A pino destination that keeps every line as parsed JSON, for assertions on logs. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.raw.push(line);
      try {
        this.lines.push(JSON.parse(line));
      } catch {
        this.lines.push({ msg: line });
      }
    }
    done();
  }

  find(predicate: (line: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.lines.find(predicate);
  }

  text(): string {
    return this.raw.join('\n');
  }
}
