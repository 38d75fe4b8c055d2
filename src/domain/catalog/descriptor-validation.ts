/**
 * Backstage's own validation of a descriptor document, as its catalog backend applies it: the
 * envelope (apiVersion, kind, metadata); `metadata.annotations: null` read as no annotations (the
 * backend adds its location annotations to `annotations || {}` before validating); the default
 * entity policies (entity schema, default namespace, no foreign root fields, field formats); then
 * the kind's validator for the kinds Backstage defines (and AiResource; an API of `spec.type:
 * mcp-server` has `spec.remotes` instead of a definition, its own schema). Any other kind (Template,
 * kinds from plugins) is kept on envelope + policies: Backstage would need the plugin's processor
 * to accept it, and we show it as a generic entity. Returns a reason naming the field, or undefined.
 */
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  entityEnvelopeSchemaValidator,
  entitySchemaValidator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
  type KindValidator,
} from '@backstage/catalog-model';
import { aiResourceEntityV1alpha1Validator, mcpServerApiEntityValidator } from '@backstage/catalog-model/alpha';

const validateEnvelope = entityEnvelopeSchemaValidator();
// SchemaValidEntityPolicy is this validator; called directly, its messages keep the field (`additionalProperty: x`).
const validateEntity = entitySchemaValidator();
const policies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

/** Kind -> Backstage's validator for it (the kinds its BuiltinKindsEntityProcessor knows). */
const KIND_VALIDATORS: Record<string, KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
  Domain: domainEntityV1alpha1Validator,
  Group: groupEntityV1alpha1Validator,
  User: userEntityV1alpha1Validator,
  Location: locationEntityV1alpha1Validator,
  AiResource: aiResourceEntityV1alpha1Validator,
};

const isMcpServer = (doc: unknown): boolean => (doc as { spec?: { type?: unknown } }).spec?.type === 'mcp-server';

/** A mapping that names neither apiVersion nor kind: some other YAML (OpenAPI, Helm values), not an entity. */
export function isNotAnEntity(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return d.apiVersion === undefined && d.kind === undefined;
}

/**
 * What Backstage's backend does to a document before its policies see it and that changes a
 * verdict: `annotations: null` becomes `{}`. Returns the document unchanged when there is nothing to do.
 */
export function tolerated(doc: unknown): unknown {
  const meta = (doc as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (!meta || typeof meta !== 'object' || meta.annotations !== null) return doc;
  return { ...(doc as object), metadata: { ...meta, annotations: {} } };
}

/** Undefined when `doc` (placeholders already resolved, `tolerated` applied) is a valid entity; else why not. */
export async function validateDescriptor(doc: unknown): Promise<string | undefined> {
  try {
    validateEnvelope(doc);
    validateEntity(doc);
    await policies.enforce(doc as Entity);
    const kind = (doc as Entity).kind;
    const validator = kind === 'API' && isMcpServer(doc) ? mcpServerApiEntityValidator : Object.hasOwn(KIND_VALIDATORS, kind) ? KIND_VALIDATORS[kind] : undefined;
    if (validator && !(await validator.check(doc as Entity))) return `apiVersion "${(doc as Entity).apiVersion}" is not supported for kind ${kind}`;
    return undefined;
  } catch (e) {
    return describeValidationError((e as Error).message);
  }
}

/**
 * Backstage's messages, said plainly: `/spec must have required property 'owner' - missingProperty: owner`
 * becomes `spec.owner is required`; the link to the ADR at the end of format errors is dropped.
 */
export function describeValidationError(raw: string): string {
  const message = raw.replace(/^Malformed envelope, /, '');
  const ajv = /^(<root>|\/\S*) (.+?)(?: - (.*))?$/.exec(message);
  if (!ajv) return message.replace(/\s*To learn more about catalog file format.*$/s, '');
  const path = ajv[1] === '<root>' ? '' : fieldPath(ajv[1]!);
  const params = Object.fromEntries((ajv[3] ?? '').split(', ').map((p) => p.split(': ') as [string, string]));
  const at = (child?: string) => (child ? (path ? `${path}${segment(child)}` : child) : path || 'document');
  if (params.missingProperty) return `${at(params.missingProperty)} is required`;
  if (params.additionalProperty) return `${at()}: unknown field "${params.additionalProperty}"`;
  if (params.allowedValues) return `${at()} ${ajv[2]} (${params.allowedValues})`;
  return `${at()} ${ajv[2]}`;
}

/** A JSON pointer (`/metadata/annotations/idp.dev~1tier`) as a field path (`metadata.annotations["idp.dev/tier"]`). */
function fieldPath(pointer: string): string {
  const [first = '', ...rest] = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return first + rest.map(segment).join('');
}

const segment = (s: string): string => (/^[A-Za-z_$][\w$-]*$|^\d+$/.test(s) ? `.${s}` : `["${s}"]`);
