import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks nothing.
  return timingSafeEqual(digest(presented), digest(token));
}
