/**
 * TLS for the https stand-ins. The Azure SDKs send bearer tokens only over https, so the sandbox
 * needs a certificate our own process trusts. `selfsigned` can only self-sign, so the server
 * certificate is its own trust anchor: CA:true, SANs localhost and 127.0.0.1. Node accepts it
 * when it is passed as `ca` (measured). It is generated once and reused across starts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generate as selfSign, type SelfsignedOptions } from 'selfsigned';

export interface SandboxTls {
  /** The trust anchor to give clients; the same PEM as certPem (self-signed). */
  caCertPem: string;
  certPem: string;
  keyPem: string;
  /** Where caCertPem is stored (for NODE_EXTRA_CA_CERTS in child processes, or curl --cacert). */
  caCertPath: string;
}

/** TLS settings that @azure/core-rest-pipeline accepts as the `tlsOptions` client option. */
export interface SandboxTlsOptions {
  ca: string;
}

const CERT_FILE = 'sandbox-tls-cert.pem';
const KEY_FILE = 'sandbox-tls-key.pem';
/** Regenerate when less than this is left, so a long-lived data dir never serves an expired cert. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export function ensureSandboxTls(dir: string): SandboxTls {
  const certPath = path.join(dir, CERT_FILE);
  const keyPath = path.join(dir, KEY_FILE);
  const existing = readUsable(certPath, keyPath);
  if (existing) return { ...existing, caCertPem: existing.certPem, caCertPath: certPath };

  const generated = generate();
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(keyPath, generated.keyPem, 0o600);
  writeAtomically(certPath, generated.certPem, 0o644);
  return { ...generated, caCertPem: generated.certPem, caCertPath: certPath };
}

const tlsOptionsCache = new Map<string, SandboxTlsOptions>();

/**
 * Client options that make SecretClient and ClientSecretCredential (any @azure/core-rest-pipeline
 * client) trust the sandbox CA in-process: `{ tlsOptions: { ca } }`. The pipeline caches its
 * https.Agent per tlsOptions object identity, so the same object is returned for the same PEM.
 */
export function sandboxClientOptions(caCertPem: string): { tlsOptions: SandboxTlsOptions } {
  let tlsOptions = tlsOptionsCache.get(caCertPem);
  if (!tlsOptions) {
    tlsOptions = { ca: caCertPem };
    tlsOptionsCache.set(caCertPem, tlsOptions);
  }
  return { tlsOptions };
}

function readUsable(certPath: string, keyPath: string): { certPem: string; keyPem: string } | undefined {
  if (!fs.existsSync(certPath) || !fs.existsSync(keyPath)) return undefined;
  try {
    const certPem = fs.readFileSync(certPath, 'utf8');
    const keyPem = fs.readFileSync(keyPath, 'utf8');
    const cert = new crypto.X509Certificate(certPem);
    const fresh = new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_MS;
    const names = cert.checkHost('localhost') !== undefined && cert.checkIP('127.0.0.1') !== undefined;
    const matches = cert.checkPrivateKey(crypto.createPrivateKey(keyPem));
    return fresh && names && matches ? { certPem, keyPem } : undefined;
  } catch {
    return undefined; // unreadable or corrupt: generate a new pair
  }
}

/** Another process starting at the same moment never reads a half-written PEM. */
function writeAtomically(file: string, content: string, mode: number): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, content, { mode });
  fs.renameSync(temp, file);
}

function generate(): { certPem: string; keyPem: string } {
  // Node generates the RSA key natively; selfsigned's pure-JS keygen takes seconds.
  const keyPair = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const options = {
    keyPair: { privateKey: keyPair.privateKey, publicKey: keyPair.publicKey },
    days: 825,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  };
  // `keyPair` is honoured by selfsigned 2.4 but missing from its typings.
  const pems = selfSign([{ name: 'commonName', value: 'IDP bot sandbox (local only)' }], options as SelfsignedOptions);
  return { certPem: pems.cert, keyPem: keyPair.privateKey };
}
