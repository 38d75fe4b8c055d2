/**
 * URLs as people paste them: with or without scheme, `www.`, trailing slash, query or fragment.
 * Keys are `host/seg/seg[?query][#fragment]`, lower-cased and percent-decoded, so the stored link
 * and the pasted one meet; Azure DevOps repository URLs (every form the portal and git print) and
 * Key Vault secret URLs are recognised so "who owns <that>" can use the repository or secret name.
 */
import { tokenize } from './catalog-text';

export interface UrlParts {
  host: string;
  segments: string[];
  query: string;
  fragment: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// A bare host like payments.contoso.com or localhost:3000, optionally followed by a path.
const BARE_HOST = /^(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*(?::\d+)?(?:[/?#]|$)|^localhost(?::\d+)?(?:[/?#]|$)/i;

const URL_PARTS = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/**
 * Parses `text` as a URL (scheme optional); undefined when it does not look like one. A regex, not
 * `new URL()`: indexing parses ~600k links for 100k entities and this is 5x cheaper.
 */
export function parseUrlish(text: string): UrlParts | undefined {
  const raw = text.trim().toLowerCase();
  if (!raw || /\s/.test(raw)) return undefined;
  const withScheme = SCHEME.test(raw) ? raw : BARE_HOST.test(raw) ? `https://${raw}` : undefined;
  const m = withScheme ? URL_PARTS.exec(withScheme) : null;
  if (!m || !m[1]) return undefined;
  const host = normalHost(m[1]);
  const segments: string[] = [];
  for (const s of m[2].split('/')) if (s) segments.push(decode(s));
  return { host, segments, query: decode(m[3] ?? ''), fragment: decode(m[4] ?? '') };
}

const normalHost = (host: string) => host.replace(/^www\./, '').replace(/:(?:443|80)$/, '');

const pathKey = (p: UrlParts, depth = p.segments.length) => [p.host, ...p.segments.slice(0, depth)].join('/');

/** The keys a stored link is found by: the full URL, and without its query and fragment. */
export function linkKeys(url: string): { keys: string[]; host?: string } {
  // Indexing runs this for every link of every entity: skip the segment split when the path is plain.
  const m = URL_PARTS.exec(url.trim().toLowerCase());
  const plain = m && m[1] && !/\/\/|\/$|%|\s/.test(m[2]);
  const p = plain ? undefined : parseUrlish(url);
  if (!plain && !p) return { keys: [] };
  const host = p ? p.host : normalHost(m![1]);
  const base = p ? pathKey(p) : host + m![2];
  const query = p ? p.query : decode(m![3] ?? '');
  const fragment = p ? p.fragment : decode(m![4] ?? '');
  const full = `${base}${query ? `?${query}` : ''}${fragment ? `#${fragment}` : ''}`;
  return { keys: full === base ? [base] : [full, base], host };
}

/**
 * The keys to try for a pasted URL, most specific first: exact, without fragment, without query,
 * then each shorter path prefix (a deeper page of a known dashboard still finds it). The bare host
 * is returned apart: it is weaker evidence (many services share grafana.contoso.net).
 */
export function probeKeys(p: UrlParts): { exact: string[]; prefixes: string[] } {
  const base = pathKey(p);
  const exact = new Set<string>();
  if (p.query && p.fragment) exact.add(`${base}?${p.query}#${p.fragment}`);
  if (p.fragment) exact.add(`${base}#${p.fragment}`);
  if (p.query) exact.add(`${base}?${p.query}`);
  exact.add(base);
  const prefixes: string[] = [];
  for (let depth = p.segments.length - 1; depth >= 1; depth--) prefixes.push(pathKey(p, depth));
  return { exact: [...exact], prefixes };
}

/** `project/repo` in the index's form: words joined by hyphens, so "My Project" = "my-project". */
export const repoPathKey = (project: string, repo: string): string => `${tokenize(project).join('-')}/${tokenize(repo).join('-')}`;

/**
 * Azure DevOps repository from any of its URL forms:
 *   https://dev.azure.com/{org}/{project}/_git/{repo}[/...|?path=...]   (also {org}@dev.azure.com)
 *   https://{org}.visualstudio.com[/DefaultCollection]/{project}/_git/{repo}
 *   https://dev.azure.com/{org}/_git/{repo}                               (project named like the repo)
 *   git@ssh.dev.azure.com:v3/{org}/{project}/{repo}, {org}@vs-ssh.visualstudio.com:v3/...
 */
export function azureDevOpsRepo(text: string): { project: string; repo: string } | undefined {
  const ssh = /^(?:ssh:\/\/)?[^@\s]+@(?:ssh\.dev\.azure\.com|vs-ssh\.visualstudio\.com)(?::22)?[:/]v3\/[^/]+\/([^/]+)\/([^/?#\s]+)/i.exec(text.trim());
  if (ssh) return { project: safeDecode(ssh[1]), repo: safeDecode(ssh[2]).replace(/\.git$/i, '') };
  const p = parseUrlish(text);
  if (!p) return undefined;
  const git = p.segments.indexOf('_git');
  if (git < 0 || git + 1 >= p.segments.length) return undefined;
  const isAzure = p.host === 'dev.azure.com' || p.host.endsWith('.visualstudio.com');
  if (!isAzure) return undefined;
  // dev.azure.com/{org}/{project}/_git; {org}.visualstudio.com/[DefaultCollection/]{project}/_git
  const before = p.segments.slice(p.host === 'dev.azure.com' ? 1 : 0, git).filter((s) => s !== 'defaultcollection');
  const repo = p.segments[git + 1].replace(/\.git$/, '');
  return { project: before[before.length - 1] ?? repo, repo };
}

/** The secret name in a Key Vault secret URL: https://{vault}.vault.azure.net/secrets/{name}[/{version}]. */
export function keyVaultSecretName(p: UrlParts): string | undefined {
  if (!p.host.endsWith('.vault.azure.net') || p.segments[0] !== 'secrets') return undefined;
  return p.segments[1];
}

/** `<prefix>--<env>--<name>` (our Key Vault naming convention) -> prefix; undefined if not that shape. */
export function secretPrefixOf(text: string): string | undefined {
  const m = /^([a-z0-9][a-z0-9-]*?)--[a-z0-9-]+$/i.exec(text.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/** Percent-decoding (lower-cased again: %41 is "A"), tolerant of malformed escapes. */
function decode(s: string): string {
  return s.includes('%') ? safeDecode(s).toLowerCase() : s;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
