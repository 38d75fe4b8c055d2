/**
 * Backstage's own validation of a descriptor document, in the order Backstage applies it: the
 * envelope (apiVersion, kind, metadata), the entity schema, field formats (name, tags, links),
 * then the kind's schema. Returns a reason naming the field, or undefined when valid.
 */
import {
  FieldFormatEntityPolicy,
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

const validateEnvelope = entityEnvelopeSchemaValidator();
const validateEntity = entitySchemaValidator();
const fieldFormats = new FieldFormatEntityPolicy();

const KIND_VALIDATORS: Record<string, KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
  Domain: domainEntityV1alpha1Validator,
  Group: groupEntityV1alpha1Validator,
  User: userEntityV1alpha1Validator,
  Location: locationEntityV1alpha1Validator,
};

const VALIDATED_KINDS = Object.keys(KIND_VALIDATORS);

/** Undefined when `doc` is a valid entity of a kind we read; else why not. */
export async function validateDescriptor(doc: unknown): Promise<string | undefined> {
  try {
    validateEnvelope(doc);
    const kind = (doc as { kind: string }).kind;
    const validator = KIND_VALIDATORS[kind];
    if (!validator) return `kind "${kind}" is not supported (supported: ${VALIDATED_KINDS.join(', ')})`;
    validateEntity(doc);
    await fieldFormats.enforce(doc as Entity);
    if (!(await validator.check(doc as Entity))) return `apiVersion "${(doc as Entity).apiVersion}" is not supported for kind ${kind}`;
    return undefined;
  } catch (e) {
    return describeValidationError((e as Error).message);
  }
}

/**
 * Backstage's messages, said plainly: `/spec must have required property 'owner' - missingProperty: owner`
 * becomes `spec.owner is required`; the link to the ADR at the end of format errors is dropped.
 */
export function describeValidationError(message: string): string {
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
