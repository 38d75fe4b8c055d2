import {
  DEFAULT_NAMING_RULES,
  GENERATOR_NAMING_RULES,
  isGeneratorSafeName,
  namingRulesFrom,
  validateRepoName,
  type NamingRules,
} from '../../src/domain/repos/repo-naming';

/** Every suggestion must itself be a valid name under the same rules. */
function expectInvalid(name: string, rules: NamingRules = DEFAULT_NAMING_RULES) {
  const result = validateRepoName(name, rules);
  if (result.ok) throw new Error(`expected "${name}" to be rejected`);
  if (result.suggestion !== undefined) {
    expect(validateRepoName(result.suggestion, rules)).toEqual({ ok: true });
    expect(result.suggestion).not.toBe(name);
  }
  return result;
}

describe('validateRepoName: the default convention', () => {
  it.each(['payments-api', 'svc1', 'abc', 'card-payments-v2', 'a1-b2-c3', 'x'.repeat(50)])('accepts %j', (name) => {
    expect(validateRepoName(name)).toEqual({ ok: true });
  });

  it.each([
    ['Payments API', ['contains spaces', 'contains upper case letters'], 'payments-api'],
    ['PaymentsAPIGateway', ['contains upper case letters'], 'payments-api-gateway'],
    ['1payments', ['starts with a digit'], 'svc-1payments'],
    ['payments_api', ['contains underscores'], 'payments-api'],
    ['payments.api', ['contains dots'], 'payments-api'],
    ['pay--ments', ['contains a double hyphen (--)'], 'pay-ments'],
    ['-payments', ['starts with "-"'], 'payments'],
    ['payments-', ['ends with "-"'], 'payments'],
    ['ab', ['is 2 characters long (minimum 3)'], 'svc-ab'],
    ['api', ['is a reserved name'], 'svc-api'],
    ['main', ['is a reserved name'], 'svc-main'],
    ['azure-pipelines', ['is a reserved name'], 'svc-azure-pipelines'],
    ['con', ['is reserved by Azure DevOps'], 'svc-con'],
    ['com1', ['is reserved by Azure DevOps'], 'svc-com1'],
    ['signalr', ['is reserved by Azure DevOps'], 'svc-signalr'],
    ['héllo wörld', ['contains spaces', 'contains characters that are not allowed: "é" "ö"'], 'hello-world'],
    ['my svc #1', ['contains spaces', 'contains characters that are not allowed: "#"'], 'my-svc-1'],
  ])('rejects %j saying why, and suggests a valid name', (name, reasons, suggestion) => {
    const result = expectInvalid(name);
    for (const r of reasons) expect(result.reasons).toContain(r);
    expect(result.suggestion).toBe(suggestion);
  });

  it('says how long an over-long name is, against the limit', () => {
    const result = expectInvalid('p'.repeat(62));
    expect(result.reasons).toEqual(['is 62 characters long (limit 50)']);
    expect(result.suggestion).toHaveLength(50);
  });

  it('shortens over-long names at a word boundary', () => {
    const result = expectInvalid('customer-onboarding-and-know-your-customer-verification-service');
    expect(result.suggestion).toBe('customer-onboarding-and-know-your-customer');
  });

  it('reserved names are compared without case', () => {
    expect(expectInvalid('Admin').reasons).toEqual(expect.arrayContaining(['is a reserved name', 'contains upper case letters']));
    expect(expectInvalid('DefaultCollection').reasons).toContain('is reserved by Azure DevOps');
  });

  it('gives no suggestion when nothing usable is left', () => {
    for (const name of ['', '---', '!!!', '🙂']) expect(expectInvalid(name).suggestion).toBeUndefined();
    expect(expectInvalid('').reasons).toEqual(['is empty']);
  });

  it('names control characters by code point, and line breaks as such', () => {
    const result = expectInvalid('pay\u0000ments\nx');
    expect(result.reasons).toEqual(expect.arrayContaining(['contains characters that are not allowed: U+0000', 'contains line breaks or tabs']));
  });
});

describe('validateRepoName: hostile names never pass', () => {
  it.each([
    'x\ny',
    'a: b',
    'name: evil\n- script: rm -rf /',
    '#comment',
    '${{ variables.secret }}',
    '$(System.AccessToken)',
    '$[variables.x]',
    "it's",
    'say "hi"',
    '- script: rm -rf /',
    '&anchor',
    '*alias',
    '---',
    '...',
    '<script>',
    'a/b',
    '../etc',
    'a\\b',
  ])('%j', (name) => {
    expectInvalid(name);
    expect(isGeneratorSafeName(name)).toBe(false);
  });
});

describe('namingRulesFrom: the convention from configuration', () => {
  it('keeps the defaults for what is not configured', () => {
    expect(namingRulesFrom({})).toEqual({ minLength: 3, maxLength: 50, reserved: DEFAULT_NAMING_RULES.reserved });
  });

  it('a custom pattern must match the whole name and says so when it does not', () => {
    const rules = namingRulesFrom({ pattern: '[a-z]+-(api|svc)' });
    expect(validateRepoName('payments-api', rules)).toEqual({ ok: true });
    const result = expectInvalid('payments-api-x', rules);
    expect(result.reasons).toEqual(['does not match the naming pattern ^(?:[a-z]+-(api|svc))$']);
    expect(expectInvalid('Payments', rules).suggestion).toBe('payments-svc');
  });

  it('the default pattern written out keeps its detailed reasons', () => {
    const rules = namingRulesFrom({ pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' });
    expect(expectInvalid('Payments', rules).reasons).toEqual(['contains upper case letters']);
  });

  it('configuration can tighten but never loosen the fixed limits', () => {
    const loose = namingRulesFrom({ pattern: '.*', maxLength: 200 });
    expect(loose.maxLength).toBe(63);
    expect(validateRepoName('Any_Name.v2', loose)).toEqual({ ok: true });
    expect(expectInvalid('has space', loose).reasons).toContain('contains spaces');
    expect(expectInvalid('${{ x }}', loose).reasons).toContain('contains characters that are not allowed: "$" "{" "}"');
    expect(expectInvalid('nul', loose).reasons).toContain('is reserved by Azure DevOps');
    expect(expectInvalid('x'.repeat(64), loose).reasons).toContain('is 64 characters long (limit 63)');
  });

  it('reserved names and required suffixes are configurable', () => {
    const rules = namingRulesFrom({ reserved: ['legacy'], requiredSuffixes: ['-api', '-svc'] });
    expect(validateRepoName('api', { ...rules, requiredSuffixes: undefined })).toEqual({ ok: true });
    expect(expectInvalid('legacy-api', { ...rules, reserved: ['legacy-api'] }).reasons).toContain('is a reserved name');
    const result = expectInvalid('payments', rules);
    expect(result.reasons).toEqual(['must end with "-api" or "-svc"']);
    expect(result.suggestion).toBe('payments-api');
  });
});

describe('GENERATOR_NAMING_RULES: what the generators accept', () => {
  it('allows what Backstage and Azure DevOps allow, nothing more', () => {
    for (const name of ['Payments', 'payments_api', 'payments.api', 'a', 'x'.repeat(63)]) expect(validateRepoName(name, GENERATOR_NAMING_RULES)).toEqual({ ok: true });
    for (const name of ['a b', 'a__b', '_a', 'a.', 'x'.repeat(64), 'aux', 'a:b']) expect(isGeneratorSafeName(name)).toBe(false);
  });
});
