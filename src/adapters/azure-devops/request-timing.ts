/**
 * Times every HTTP attempt an azure-devops-node-api client makes. All its requests (typed-rest-client
 * retries, redirects and the authentication re-send included) go through one public method of the
 * client's HttpClient, `requestRaw`; it is wrapped on each client instance this connection builds,
 * never on the prototype, so other connections in the process are not affected.
 */
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';

interface RawClient {
  requestRaw(info: unknown, data: unknown): Promise<{ message?: { statusCode?: number } } | null | undefined>;
}

const timed = new WeakSet<object>();

export function timeRequests(client: RawClient | undefined, record: UpstreamRecorder): void {
  if (!client || timed.has(client) || typeof client.requestRaw !== 'function') return;
  timed.add(client);
  const send = client.requestRaw.bind(client);
  client.requestRaw = async (info, data) => {
    const began = performance.now();
    let status = 0;
    try {
      const response = await send(info, data);
      status = response?.message?.statusCode ?? 0;
      return response;
    } finally {
      record(status, (performance.now() - began) / 1000);
    }
  };
}
