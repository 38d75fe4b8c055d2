/**
 * GET /playground (the page), its assets (the page's script and styles, and the official
 * Adaptive Cards renderer and markdown-it from node_modules: nothing loads from outside), and its
 * API: GET /playground/api/state, POST /playground/api/messages, GET /playground/api/events
 * (server-sent events: every post, update and delete in the Bot Connector, as it happens).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { DEFAULT_MAX_DEPTH, readJsonBody } from '../../http/json-body';
import type { IncomingPost, Playground } from './playground';

const PAGE_DIR = path.join(__dirname, 'page');
const packageFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

const ASSETS: Record<string, { file: string; type: string }> = {
  'playground.js': { file: path.join(PAGE_DIR, 'playground.js'), type: 'text/javascript; charset=utf-8' },
  'playground.css': { file: path.join(PAGE_DIR, 'playground.css'), type: 'text/css; charset=utf-8' },
  'teams-host-config.json': { file: path.join(PAGE_DIR, 'teams-host-config.json'), type: 'application/json; charset=utf-8' },
  'adaptivecards.min.js': { file: packageFile('adaptivecards', 'dist/adaptivecards.min.js'), type: 'text/javascript; charset=utf-8' },
  'markdown-it.min.js': { file: packageFile('markdown-it', 'dist/browser/markdown-it.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

/** Only this origin: the page, its scripts and the bot. Inline styles: the card renderer sets them. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HEARTBEAT_MS = 25_000;

export interface PlaygroundRouteOptions {
  playground: Playground;
  /** The Bot Connector stand-in's URL: the serviceUrl of every activity the page sends. */
  serviceUrl: string;
  maxBodyBytes: number;
}

export function registerPlaygroundRoutes(server: Server, options: PlaygroundRouteOptions): void {
  const { playground } = options;
  const cache = new Map<string, Buffer>();
  const read = (file: string) => cache.get(file) ?? cache.set(file, readFileSync(file)).get(file)!;

  const sendFile = (res: Response, file: string, type: string) => {
    let bytes: Buffer;
    try {
      bytes = read(file);
    } catch {
      return void res.send(404, { error: 'NotFound', message: `${path.basename(file)} is missing: run npm install.` });
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': CONTENT_SECURITY_POLICY });
    res.end(bytes);
  };

  server.get('/playground', async (_req: Request, res: Response) => sendFile(res, path.join(PAGE_DIR, 'index.html'), 'text/html; charset=utf-8'));
  server.get('/playground/assets/:name', async (req: Request, res: Response) => {
    const asset = ASSETS[String(req.params.name)];
    if (!asset) return void res.send(404, { error: 'NotFound' });
    sendFile(res, asset.file, asset.type);
  });

  server.get('/playground/demo-link', async (req: Request, res: Response) => {
    const url = String(new URL(req.url ?? '', 'http://x').searchParams.get('url') ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY });
    res.end(demoLinkPage(url));
  });

  server.get('/playground/api/state', async (_req: Request, res: Response) => {
    res.send(200, playground.state(options.serviceUrl));
  });

  server.post('/playground/api/messages', async (req: Request, res: Response) => {
    const body = await readJsonBody(req, { maxBytes: options.maxBodyBytes, maxDepth: DEFAULT_MAX_DEPTH }).catch(() => undefined);
    if (!body) return;
    if (!body.ok) return void res.send(body.status, { error: body.error, message: body.message });
    const post = body.value as Partial<IncomingPost> | null;
    if (!post || typeof post !== 'object' || typeof post.conversationId !== 'string' || typeof post.fromId !== 'string') {
      return void res.send(400, { error: 'BadRequest', message: 'Send { conversationId, fromId, text?, attachments?, value?, newThread? }.' });
    }
    const result = playground.record(post as IncomingPost);
    if (!result.ok) return void res.send(result.status, { error: 'Refused', message: result.message });
    res.send(201, { activity: result.activity, installedNow: result.installedNow });
  });

  // Resolves when the page goes away: the stream stays open until then.
  server.get('/playground/api/events', async (req: Request, res: Response) => {
    await new Promise<void>((resolve) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    const unsubscribe = playground.onChange((change) => res.write(`data: ${JSON.stringify(change)}\n\n`));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      resolve();
    });
    });
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a card's link would open in a real tenant; a stand-in's own URL may be opened from here. */
function demoLinkPage(url: string): string {
  let local = false;
  try {
    const host = new URL(url).hostname;
    local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    // not a URL: shown as text
  }
  const safe = escapeHtml(url);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo link</title><link rel="stylesheet" href="/playground/assets/playground.css"></head>
<body style="display:block;padding:40px;max-width:760px;margin:auto"><h1 style="font-size:20px">This is a demo link</h1>
<p>In a real tenant this opens:</p><p><code data-testid="demo-url" style="word-break:break-all">${safe}</code></p>
<p>${local ? `It points at one of the sandbox's stand-ins on this machine: <a href="${safe}">open what the stand-in answers</a>.` : 'The sandbox has no such site: its dashboards, runbooks and Teams links are made up for the demo organisation.'}</p></body></html>`;
}
