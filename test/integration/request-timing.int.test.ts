/**
 * The core-rest-pipeline timing policy (Key Vault, ARM, Entra tokens, Bot Connector) over real
 * HTTP on loopback: each attempt is reported on its own, so a 429 the pipeline retries is counted
 * before the 200, and a request nobody answers reads status 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
import { requestTimingPolicy } from '../../src/adapters/azure-core/request-timing-policy';

describe('requestTimingPolicy', () => {
  let server: http.Server;
  let url: string;
  let answers: number[];
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      const status = answers.shift() ?? 200;
      res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = async (target: string) => {
    const recorded: number[] = [];
    const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 2 } });
    pipeline.addPolicy(requestTimingPolicy((status, seconds) => (expect(seconds).toBeGreaterThanOrEqual(0), recorded.push(status))), { afterPhase: 'Retry' });
    const response = await pipeline.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url: target, allowInsecureConnection: true })).catch(() => undefined);
    return { recorded, status: response?.status };
  };

  test('a throttled attempt and its retry are two records', async () => {
    answers = [429, 200];
    await expect(send(url)).resolves.toEqual({ recorded: [429, 200], status: 200 });
  });

  test('a 5xx the pipeline gives up on: every attempt recorded with its status', async () => {
    answers = [503, 503, 503];
    await expect(send(url)).resolves.toEqual({ recorded: [503, 503, 503], status: 503 });
  });

  test('no answer (connection refused) reads 0 for each attempt', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { recorded, status } = await send(`http://127.0.0.1:${port}/gone`);
    expect(status).toBeUndefined();
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(new Set(recorded)).toEqual(new Set([0]));
  });
});
