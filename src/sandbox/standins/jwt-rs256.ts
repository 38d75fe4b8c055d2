/**
 * Compact RS256 JWTs with node:crypto: what the Entra stand-in signs and the resource stand-ins
 * (Key Vault, Graph) verify. jsonwebtoken is a dev dependency only, and the sandbox ships in
 * production images.
 */
import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid: string): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

/** Checks the signature only; the caller checks the claims. Returns undefined when it does not verify. */
export function verifyJwtSignature(token: string, publicKey: KeyObject, kid: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (head.alg !== 'RS256' || head.kid !== kid) return undefined;
    const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
    return ok ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** The JWKS entry for a public key, as Entra publishes it. */
export function jwkOf(publicKey: KeyObject, kid: string): Record<string, unknown> {
  const jwk = createPublicKey(publicKey).export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e };
}
