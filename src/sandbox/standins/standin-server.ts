/**
 * The common part of every stand-in: an HTTP(S) server on loopback with a small router, a log of
 * every request, and fault injection (latency, status codes with Retry-After, dropped connections,
 * timeouts). Control routes under /_standin let a test or a person inspect and steer it:
 *   GET    /_standin/requests   the request log (authorization headers redacted)
 *   DELETE /_standin/requests   clear it
 *   GET    /_standin/state      what the stand-in holds (each stand-in's snapshot)
 *   POST   /_standin/faults     add a fault (JSON body: Fault)
 *   DELETE /_standin/faults     clear faults
 * A stand-in that holds state can keep it in a file (persistIn), written before each answer.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { StateFile } from './state-file';

export interface StandInRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, else the raw text ('' when empty). */
  body: unknown;
  rawBody: Buffer;
}

export interface StandInResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type StandInHandler = (req: StandInRequest) => StandInResponse | Promise<StandInResponse>;

export interface Fault {
  method?: string;
  /** Regular expression tested against the path. */
  path?: string;
  kind: 'status' | 'drop' | 'timeout' | 'latency';
  status?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** How many matching requests it affects; default: all until cleared. */
  times?: number;
  /**
   * 'status' and 'drop' only: handle the request first (its change happens), then fail the
   * response, as when the service did the work but the answer was lost on the way back.
   */
  afterHandler?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: string;
  /** Set on a request that arrived inside a JSON batch (Graph's $batch): the batch's request id. */
  batchRequestId?: string;
}

interface Route {
  method: string;
  regex: RegExp;
  keys: string[];
  handler: StandInHandler;
}

const MAX_LOG = 5000;
/** Requests of these methods never change what a stand-in holds: no write after them. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function json(status: number, body?: unknown, headers?: Record<string, string>): StandInResponse {
  return { status, body, headers };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The decoded path with each encoded '/' held as NUL, so an id containing '/' stays one segment. */
function routingPath(rawPath: string): string {
  return rawPath.split(/%2F/i).map(safeDecode).join('\u0000');
}

export class StandInServer {
  readonly requests: RecordedRequest[] = [];
  /** Added to every request (benchmarks simulate a remote service with it). */
  latencyMs = 0;
  private readonly routes: Route[] = [];
  private faults: Fault[] = [];
  private server?: http.Server;
  private url = '';
  private readonly sockets = new Set<import('node:net').Socket>();
  private persistence?: { file: StateFile; dump: () => unknown };

  constructor(
    readonly name: string,
    private readonly tls?: { key: string; cert: string },
    private readonly snapshot: () => unknown = () => ({}),
  ) {
    this.route('GET', '/_standin/requests', () => json(200, this.requests));
    this.route('DELETE', '/_standin/requests', () => {
      this.requests.length = 0;
      return json(204);
    });
    this.route('GET', '/_standin/state', () => json(200, this.snapshot()));
    this.route('POST', '/_standin/faults', (req) => {
      this.addFault(req.body as Fault);
      return json(201, this.faults);
    });
    this.route('DELETE', '/_standin/faults', () => {
      this.clearFaults();
      return json(204);
    });
  }

  get baseUrl(): string {
    return this.url;
  }

  /** Pattern segments starting with ':' are captured, e.g. `/:org/_apis/git/repositories/:id`. */
  route(method: string, pattern: string, handler: StandInHandler): this {
    const keys: string[] = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          keys.push(seg.slice(1));
          return '([^/]+)';
        }
        if (seg === '*') {
          keys.push('rest');
          return '(.*)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}/?$`, 'i'), keys, handler });
    return this;
  }

  /**
   * Keeps the stand-in's state in `file`: `restore` gets what an earlier run saved, then `dump` is
   * written after every request that may have changed it, before the answer goes out. True when
   * restored; false on the first start of a data dir (the seed stays, and is written at once).
   */
  protected persistIn(file: StateFile, dump: () => unknown, restore: (saved: unknown) => void): boolean {
    let saved: unknown;
    try {
      saved = file.load();
      if (saved !== undefined) restore(saved);
    } catch (e) {
      // Never silently back to the seed: that would lose what the bot made.
      throw new Error(`${this.name}: cannot restore ${file.file} (${(e as Error).message}); move it away to start from the seed`);
    }
    this.persistence = { file, dump };
    this.saveState();
    return saved !== undefined;
  }

  /** Writes the state now; for changes made in-process (a test's reset) rather than over HTTP. */
  saveState(): void {
    if (this.persistence) this.persistence.file.save(this.persistence.dump());
  }

  /** Like start(port), but any free port when `port` is taken (e.g. the port of a previous run). */
  async startPreferring(port: number | undefined, host = '127.0.0.1'): Promise<string> {
    try {
      return await this.start(port ?? 0, host);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !port) throw e;
      return this.start(0, host);
    }
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    // A rejected handler (malformed URL, aborted upload) must not become an unhandled rejection:
    // that would kill the whole sandbox process.
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) =>
      void this.handle(req, res).catch(() => {
        if (res.headersSent) res.destroy();
        else res.writeHead(400).end();
      });
    this.server = this.tls ? https.createServer(this.tls, listener) : http.createServer(listener);
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `${this.tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || new RegExp(f.path).test(path)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://standin');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = safeDecode(url.pathname);
    let body: unknown = rawBody.length ? rawBody.toString('utf8') : '';
    if (rawBody.length && /json/i.test(String(req.headers['content-type'] ?? 'application/json'))) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        /* keep the text: the handler decides */
      }
    }

    const isControl = path.startsWith('/_standin/');
    const fault = isControl ? undefined : this.takeFault(method, path);
    const delay = this.latencyMs + (fault?.kind === 'latency' ? (fault.latencyMs ?? 0) : 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    let response: StandInResponse;
    const mutating = !isControl && !READ_METHODS.has(method);
    if (fault?.afterHandler && (fault.kind === 'status' || fault.kind === 'drop')) {
      await this.dispatch({ method, path, params: {}, query: url.searchParams, headers: req.headers, body, rawBody }, routingPath(url.pathname));
      if (mutating) this.saveState();
    }
    if (fault?.kind === 'drop') {
      this.log(method, path, url.search, 0, req.headers, body);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      this.log(method, path, url.search, 0, req.headers, body);
      return; // never answer; the client's timeout fires
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      response = json(fault.status ?? 500, this.faultBody(fault.status ?? 500), headers);
    } else {
      response = await this.dispatch({ method, path, params: {}, query: url.searchParams, headers: req.headers, body, rawBody }, routingPath(url.pathname));
      if (mutating) this.saveState();
    }

    if (!isControl) this.log(method, path, url.search, response.status, req.headers, body);
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload: string | Buffer | undefined;
    if (response.body !== undefined && response.status !== 204) {
      if (Buffer.isBuffer(response.body)) payload = response.body;
      else if (typeof response.body === 'string' && headers['content-type']) payload = response.body;
      else {
        payload = JSON.stringify(response.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  private async dispatch(req: StandInRequest, routing: string): Promise<StandInResponse> {
    let methodMismatch = false;
    for (const route of this.routes) {
      const m = route.regex.exec(routing);
      if (!m) continue;
      if (route.method !== req.method && route.method !== '*') {
        methodMismatch = true;
        continue;
      }
      route.keys.forEach((k, i) => (req.params[k] = m[i + 1].replace(/\u0000/g, '/')));
      try {
        return await route.handler(req);
      } catch (e) {
        return json(500, { message: `Stand-in ${this.name} failed: ${(e as Error).message}` });
      }
    }
    return methodMismatch ? json(405, { message: 'Method not allowed' }) : json(404, { message: `No route ${req.method} ${req.path}` });
  }

  /**
   * Handles one request that arrived inside another (a JSON batch): the same routes, the same
   * status and latency faults (by method and path), and its own line in the request log. Drop and
   * timeout faults belong to connections, so they apply to the outer request only.
   */
  protected async innerRequest(inner: { method: string; rawPath: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: unknown }, batchRequestId: string): Promise<StandInResponse> {
    const method = inner.method.toUpperCase();
    const path = safeDecode(inner.rawPath);
    const fault = this.takeFault(method, path);
    if (fault?.kind === 'latency' && fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    let response: StandInResponse;
    const run = () => {
      const rawBody = inner.body === undefined || inner.body === '' ? Buffer.alloc(0) : Buffer.from(JSON.stringify(inner.body));
      return this.dispatch({ method, path, params: {}, query: inner.query, headers: inner.headers, body: inner.body ?? '', rawBody }, routingPath(inner.rawPath));
    };
    if (fault?.kind === 'status') {
      if (fault.afterHandler) await run();
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      response = json(fault.status ?? 500, this.faultBody(fault.status ?? 500), headers);
    } else {
      response = await run();
    }
    this.log(method, path, inner.query.size ? `?${inner.query.toString()}` : '', response.status, inner.headers, inner.body ?? '', batchRequestId);
    return response;
  }

  /** The body of an injected status fault; stand-ins override it with their service's error shape. */
  protected faultBody(status: number): unknown {
    return { message: `Injected fault ${status}`, typeKey: 'InjectedFault' };
  }

  /** Stand-ins that receive secrets (secret values, client secrets, passwords) override this so the log never keeps them. */
  protected redactForLog(_method: string, _path: string, body: unknown): unknown {
    return body;
  }

  private log(method: string, path: string, query: string, status: number, headers: http.IncomingHttpHeaders, body: unknown, batchRequestId?: string): void {
    const safeHeaders = { ...headers };
    if (safeHeaders.authorization) safeHeaders.authorization = `${String(safeHeaders.authorization).split(' ')[0]} [redacted]`;
    const safeBody = this.redactForLog(method, path, body);
    this.requests.push({ method, path, query, status, headers: safeHeaders, body: safeBody, at: new Date().toISOString(), ...(batchRequestId ? { batchRequestId } : {}) });
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);
  }
}
