/**
 * The last link of the Graph client's middleware chain: sends the request with node:https instead
 * of the global fetch. Node's fetch (undici) ignores https.Agent and reads extra CAs only at
 * process start (NODE_EXTRA_CA_CERTS), so it cannot trust the sandbox CA in-process; an Agent
 * with `ca` can. It also gives every request a timeout, which fetch has none of by default.
 * Auth, retry, redirect and telemetry stay the client's own handlers.
 */
import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';

export interface NodeHttpsHandlerOptions {
  /** Extra trust anchors (PEM) replacing Node's defaults; omit in production. */
  ca?: string;
  timeoutMs?: number;
  /** Each request's status (0: no answer) and seconds. */
  onRequest?: UpstreamRecorder;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export class NodeHttpsHandler implements Middleware {
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly onRequest?: UpstreamRecorder;

  constructor(options: NodeHttpsHandlerOptions = {}) {
    this.onRequest = options.onRequest;
    this.agent = new https.Agent({ keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async execute(context: Context): Promise<void> {
    if (typeof context.request !== 'string') throw new Error('NodeHttpsHandler sends string URLs only (what GraphRequest builds).');
    // WHATWG URL escapes what the client leaves raw (spaces and quotes in $filter).
    const url = new URL(context.request);
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, key) => (headers[key] = value));
    const body = options.body === undefined || options.body === null ? undefined : toBuffer(options.body);
    if (body) headers['content-length'] = String(body.length);
    const began = performance.now();
    let status = 0;
    try {
      context.response = await this.send(url, options.method ?? 'GET', headers, body, options.signal ?? undefined);
      status = context.response.status;
    } finally {
      this.onRequest?.(status, (performance.now() - began) / 1000);
    }
  }

  /** Releases pooled sockets (tests and shutdown). */
  close(): void {
    this.agent.destroy();
  }

  private send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            for (const v of ([] as string[]).concat(value ?? [])) responseHeaders.append(key, v);
          }
          const payload = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`Request to ${url.host} timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function toBuffer(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('NodeHttpsHandler: unsupported request body type (streams and forms are not used by this bot).');
}
