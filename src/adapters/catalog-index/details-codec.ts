/**
 * The cold half of a record (what only an answer card shows: declared relations, contacts, on-call,
 * deployments, links, profile, members) as one compact JSON string, ~45 MB for 100k entities
 * instead of ~160 MB as objects or ~95 MB as plain JSON. Repetition across entities is factored
 * out into tables shared by the index:
 *   - people (on-call engineers recur across services) -> a number;
 *   - URL prefixes -> a number: everything up to the last `/` before the query, short of a
 *     segment that looks like an id or holds the entity's name (`https://grafana.contoso.net/d/`,
 *     `https://dev.azure.com/contoso/Payments/_git/`, `https://wiki.contoso.net/runbooks/payments/`);
 *   - the entity's own name inside a URL or email -> a split point, and the text around it, when
 *     it has no digits (a log-search URL template, the same for every service) -> a number;
 *   - link titles, who deployed, relation types -> a number;
 *   - refs `component:default/x` -> `c:x`; dates -> base-36 epoch ms.
 * No compression library: decoding is a JSON.parse of ~500 characters (~5 us) and allocates no
 * native memory (zlib's per-call buffers fragmented the heap by ~100 MB under load).
 */
import type { EntityDetails } from '../../domain/catalog/catalog-entry';
import {
  DEPLOYMENT_STATUSES, LINK_TYPES, RELATION_TYPES, type ApiDefinitionRef, type Deployment, type LinkType, type OnCall, type Person, type RelationType,
} from '../../domain/catalog/catalog.types';

const DEFINITION_SOURCES: readonly ApiDefinitionRef['source'][] = ['inline', 'file', 'url'];

export type { EntityDetails } from '../../domain/catalog/catalog-entry';

type Json = null | number | string | Json[];

const KIND_LETTER: Record<string, string> = { component: 'c', api: 'a', resource: 'r', system: 's', domain: 'd', group: 'g', user: 'u' };
const LETTER_KIND = Object.fromEntries(Object.entries(KIND_LETTER).map(([k, v]) => [v, k]));
/** Tables stop growing here: beyond it a value is stored literally (bounds memory on odd data). */
const MAX_TABLE = 50_000;

/** A string table: value <-> small number. */
class Table {
  private readonly ids = new Map<string, number>();
  constructor(readonly values: string[] = []) {
    values.forEach((v, i) => this.ids.set(v, i));
  }
  has(value: string): boolean {
    return this.ids.has(value);
  }
  id(value: string): number | undefined {
    let id = this.ids.get(value);
    if (id === undefined && this.values.length < MAX_TABLE) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

export class DetailsCodec {
  private readonly people: Table;
  private readonly prefixes: Table;
  private readonly templates: Table;
  private readonly words: Table;

  /** `tables`: what `tables()` returned (an index snapshot), so records encoded then decode here. */
  constructor(tables?: readonly string[][]) {
    [this.people, this.prefixes, this.templates, this.words] = [0, 1, 2, 3].map((i) => new Table(tables?.[i] ? [...tables[i]] : []));
  }

  /** The shared tables, in constructor order. */
  tables(): string[][] {
    return [this.people.values, this.prefixes.values, this.templates.values, this.words.values];
  }

  encode(d: EntityDetails, name: string): string {
    // Plain loops, no flatMap: this runs for every entity at build time.
    const relations: Json[] = [];
    for (const r of d.relations) relations.push(RELATION_TYPES.indexOf(r.type), shortRef(r.target));
    const deployments: Json[] = [];
    for (const x of d.deployments) {
      deployments.push(x.environment, x.version, DEPLOYMENT_STATUSES.indexOf(x.status), time(x.deployedAt), this.url(x.pipelineRunUrl, name), this.word(x.deployedBy));
    }
    const links: Json[] = [];
    let repo: Json = d.repositoryUrl === undefined ? null : -1;
    for (let k = 0; k < d.links.length; k++) {
      const l = d.links[k];
      links.push(this.url(l.url, name), this.word(l.title), LINK_TYPES.indexOf(l.type));
      if (l.url === d.repositoryUrl && repo === -1) repo = k; // usually one of the links: point at it
    }
    if (repo === -1) repo = [this.url(d.repositoryUrl, name)];
    const members: Json[] = [];
    for (const m of d.members) members.push(shortRef(m));
    const p = d.profile;
    const packed: Json[] = [
      relations,
      this.url(d.contacts.teamsChannelUrl, name),
      this.text(d.contacts.email, name, false),
      d.onCall ? this.onCall(d.onCall) : null,
      deployments,
      links,
      p ? [p.displayName ?? null, p.email ?? null, p.aadObjectId ?? null] : null,
      members,
      repo,
      d.definition ? [DEFINITION_SOURCES.indexOf(d.definition.source), d.definition.target ?? null, d.definition.bytes ?? null] : null,
    ];
    while (packed.length && isEmpty(packed[packed.length - 1])) packed.pop();
    const encoded = JSON.stringify(packed);
    // JSON.stringify hands back a rope (a tree of string pieces: ~1.7 bytes per character); reading a
    // character makes V8 flatten it into one string (~1.1 bytes per character), 20 MB less at 100k.
    encoded.charCodeAt(0);
    return encoded;
  }

  decode(s: string, name: string): EntityDetails {
    const [relations, channel, email, onCall, deployments, links, profile, members, repo, definition] = JSON.parse(s) as Json[];
    const rel = (relations ?? []) as Json[];
    const dep = (deployments ?? []) as Json[];
    const lnk = (links ?? []) as Json[];
    const out: EntityDetails = {
      relations: [],
      contacts: {},
      deployments: [],
      links: [],
      members: ((members ?? []) as string[]).map(longRef),
    };
    for (let k = 0; k < rel.length; k += 2) out.relations.push({ type: RELATION_TYPES[rel[k] as number] as RelationType, target: longRef(rel[k + 1] as string) });
    const teamsChannelUrl = this.unurl(channel ?? null, name);
    const mail = this.untext(email ?? null, name);
    if (teamsChannelUrl) out.contacts.teamsChannelUrl = teamsChannelUrl;
    if (mail) out.contacts.email = mail;
    if (onCall) out.onCall = this.unOnCall(onCall as Json[]);
    for (let k = 0; k < dep.length; k += 6) {
      const d: Deployment = { environment: dep[k] as string, version: dep[k + 1] as string, status: DEPLOYMENT_STATUSES[dep[k + 2] as number], deployedAt: untime(dep[k + 3] as string) };
      const runUrl = this.unurl(dep[k + 4], name);
      if (runUrl) d.pipelineRunUrl = runUrl;
      if (dep[k + 5] !== null) d.deployedBy = this.unword(dep[k + 5]);
      out.deployments.push(d);
    }
    for (let k = 0; k < lnk.length; k += 3) {
      out.links.push({ url: this.unurl(lnk[k], name) as string, title: this.unword(lnk[k + 1]), type: (LINK_TYPES[lnk[k + 2] as number] ?? 'other') as LinkType });
    }
    if (profile) {
      const [displayName, mailbox, aad] = profile as (string | null)[];
      out.profile = { ...(displayName !== null ? { displayName } : {}), ...(mailbox !== null ? { email: mailbox } : {}), ...(aad !== null ? { aadObjectId: aad } : {}) };
    }
    if (repo !== undefined && repo !== null) out.repositoryUrl = typeof repo === 'number' ? out.links[repo].url : this.unurl((repo as Json[])[0], name);
    if (definition) {
      const [source, target, bytes] = definition as [number, string | null, number | null];
      out.definition = { source: DEFINITION_SOURCES[source] ?? 'inline', ...(target !== null ? { target } : {}), ...(bytes !== null ? { bytes } : {}) };
    }
    return out;
  }

  private onCall(oc: OnCall): Json[] {
    const out: Json[] = [oc.rotation === undefined ? null : this.url(oc.rotation, ''), oc.current ? this.person(oc.current) : null, oc.current?.until ? time(oc.current.until) : null, oc.updatedAt ? time(oc.updatedAt) : null];
    for (const p of oc.escalation) out.push(this.person(p), p.level);
    return out;
  }

  private unOnCall(a: Json[]): OnCall {
    const oc: OnCall = { escalation: [] };
    if (a[0] !== null) oc.rotation = this.unurl(a[0], '');
    if (a[1] !== null) oc.current = { ...this.unperson(a[1]), ...(a[2] !== null ? { until: untime(a[2] as string) } : {}) };
    if (a[3] !== null) oc.updatedAt = untime(a[3] as string);
    for (let k = 4; k < a.length; k += 2) oc.escalation.push({ ...this.unperson(a[k]), level: a[k + 1] as number });
    return oc;
  }

  private person(p: Person): Json {
    const row = `${p.name}\u0001${p.email ?? ''}\u0001${p.aadObjectId ?? ''}`;
    return this.people.id(row) ?? row;
  }

  private unperson(v: Json): Person {
    const [name, email, aadObjectId] = (typeof v === 'number' ? this.people.values[v] : (v as string)).split('\u0001');
    return { name, ...(email ? { email } : {}), ...(aadObjectId ? { aadObjectId } : {}) };
  }

  /** A URL: [prefix id, rest] (see the header); or the text as-is. */
  private url(url: string | undefined, name: string): Json {
    if (url === undefined) return null;
    const cut = prefixEnd(url, name);
    const id = cut < 0 ? undefined : this.prefixes.id(url.slice(0, cut));
    return id === undefined ? this.text(url, name, false) : [id, this.text(url.slice(cut), name, true)];
  }

  private unurl(v: Json | undefined, name: string): string | undefined {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v) && typeof v[0] === 'number') return this.prefixes.values[v[0]] + this.untext(v[1], name);
    return this.untext(v, name);
  }

  /** Text with the entity's name cut out: "x", ["before", "after"] (before+name+after), or a template number. */
  private text(s: string | undefined, name: string, templated: boolean): Json {
    if (s === undefined) return null;
    if (name.length < 4 || !s.includes(name)) return s;
    const parts = s.split(name);
    if (!templated || parts.some(hasDigit)) return parts;
    return this.templates.id(parts.join('\u0001')) ?? parts;
  }

  private untext(v: Json, name: string): string | undefined {
    if (v === null) return undefined;
    if (typeof v === 'number') return this.templates.values[v].split('\u0001').join(name);
    return Array.isArray(v) ? (v as string[]).join(name) : (v as string);
  }

  /** A short value that repeats (a link title, who deployed): a number, or "=value". */
  private word(s: string | undefined): Json {
    return s === undefined ? null : (this.words.id(s) ?? `=${s}`);
  }

  private unword(v: Json): string {
    return typeof v === 'number' ? this.words.values[v] : (v as string).slice(1);
  }
}

/** `component:default/x` -> `c:x` (other namespaces keep theirs: `c:ns/x`). */
function shortRef(ref: string): string {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon);
  const letter = colon > 0 && slash > colon ? KIND_LETTER[ref.slice(0, colon)] : undefined;
  if (!letter) return `=${ref}`;
  const ns = ref.slice(colon + 1, slash);
  return ns === 'default' ? `${letter}:${ref.slice(slash + 1)}` : `${letter}:${ref.slice(colon + 1)}`;
}

/**
 * Where a URL's shared prefix ends: after the last `/` before the query or fragment, pulled back
 * before any segment that looks like an id (a digit, 5+ characters) or holds the entity's name.
 * -1 when the URL has no path.
 */
function prefixEnd(url: string, name: string): number {
  const scheme = url.indexOf('://');
  const hostEnd = scheme > 0 ? url.indexOf('/', scheme + 3) : -1;
  if (hostEnd < 0) return -1;
  const named = name.length >= 4 ? url.indexOf(name, hostEnd) : -1;
  let cut = hostEnd + 1;
  let digits = 0;
  for (let i = hostEnd + 1; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 || c === 35) break; // '?', '#'
    if (c >= 48 && c <= 57) digits++;
    if (c !== 47) continue; // '/'
    if ((digits > 0 && i - cut >= 5) || (named >= cut && named < i)) break;
    cut = i + 1;
    digits = 0;
  }
  return cut;
}

function longRef(s: string): string {
  if (s.startsWith('=')) return s.slice(1);
  const kind = LETTER_KIND[s[0]];
  const rest = s.slice(2);
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

const hasDigit = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) return true;
  return false;
};
const time = (d: Date | string) => new Date(d).getTime().toString(36);
const untime = (s: string) => new Date(parseInt(s, 36));
const isEmpty = (v: Json) => v === null || (Array.isArray(v) && v.length === 0);
