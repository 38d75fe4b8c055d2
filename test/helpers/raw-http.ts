/**
 * A request fetch will not make: any content-type (or none), a compressed body, or a chunked
 * body without content-length that keeps coming until the server answers.
 */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Stream `max` chunks of `size` bytes (chunked encoding), stopping as soon as the answer comes. */
  chunks?: { size: number; max: number };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Body bytes written before the answer came (or the server closed). */
  bytesSent: number;
}

export function rawRequest(baseUrl: string, path: string, options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = http.request(`${baseUrl}${path}`, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytesSent });
      });
    });
    // The server may close while we are still sending: the answer, if any, is what counts.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    if (options.chunks) {
      const chunk = Buffer.alloc(options.chunks.size, 0x20);
      let left = options.chunks.max;
      const pump = () => {
        while (!answered && !req.destroyed && left > 0) {
          left--;
          bytesSent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered && !req.destroyed) req.end();
      };
      pump();
    } else {
      if (options.body !== undefined) bytesSent = Buffer.byteLength(options.body);
      req.end(options.body);
    }
  });
}
