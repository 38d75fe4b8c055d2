/**
 * Source-code identifiers derived from the service name: a Java package and a Python import
 * package. The name is already validated (letters, digits, - _ .); what is left is each
 * language's own rules: no leading digit, no keyword, and for Python no clash with a standard
 * library module (`src/` is put first on sys.path, so a package called `http` would hide the
 * stdlib `http` the app itself imports).
 */
import { PYTHON_RESERVED_MODULES } from './python-reserved-modules';

const JAVA_KEYWORDS = new Set(
  ('abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for ' +
    'goto if implements import instanceof int interface long native new package private protected public return short static strictfp ' +
    'super switch synchronized this throw throws transient try void volatile while true false null _ var record yield sealed permits non')
    .split(' '),
);

const PYTHON_KEYWORDS = new Set(
  ('false none true and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield match case type').split(' '),
);

/** One package segment: lower-case letters and digits. */
const segment = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `com.<org>.<service>`, e.g. `com.contoso.paymentsapi`. */
export function javaPackage(org: string, service: string): string {
  return ['com', javaSegment(org, 'example'), javaSegment(service, 'service')].join('.');
}

function javaSegment(text: string, fallback: string): string {
  const s = segment(text) || fallback;
  // The JLS convention for segments that are keywords or start with a digit: a leading underscore.
  return /^[0-9]/.test(s) || JAVA_KEYWORDS.has(s) ? `_${s}` : s;
}

/** `payments-api` -> `payments_api`; `http` -> `http_service`; `3d-api` -> `svc_3d_api`. */
export function pythonPackage(service: string): string {
  const s = service.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'service';
  if (/^[0-9]/.test(s)) return `svc_${s}`;
  return PYTHON_KEYWORDS.has(s) || PYTHON_RESERVED_MODULES.has(s) ? `${s}_service` : s;
}
