/**
 * Load generation and process helpers shared by the benchmarks. The load generator runs in the
 * benchmark's process; each bot under test runs in its own process (the machine has 2 cores, so
 * ratios measured in the same run are what we quote, never absolute numbers from another run).
 */
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a TypeScript entry point in its own Node process (via tsx) and waits for /readyz. */
export async function startProcess(entry: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', '--no-deprecation'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    const ok = await fetch(readyUrl).then((r) => r.ok).catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} not ready after 60 s`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Posts `bodies` round-robin at `connections` concurrency for `seconds`. */
export async function load(url: string, bodies: string[], connections: number, seconds: number): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A message activity as Teams sends it, asking for the replies in the HTTP response. */
export function messageBody(text: string, user: { id: string; aadObjectId?: string; name?: string }, conversationId: string, serviceUrl: string, tenantId?: string): string {
  return JSON.stringify({
    type: 'message',
    id: `bench-${Math.random().toString(36).slice(2)}`,
    text,
    deliveryMode: 'expectReplies',
    channelId: 'msteams',
    serviceUrl,
    from: user,
    recipient: { id: '28:idp-bot', name: 'IDP Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId },
    channelData: tenantId ? { tenant: { id: tenantId } } : {},
  });
}
