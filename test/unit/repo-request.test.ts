import { namingRulesFrom } from '../../src/domain/repos/repo-naming';
import { parseKeyValueCommand, parseRepoRequest, stackFromAlias, type RepoRequestInput } from '../../src/domain/repos/repo-request';

const valid: RepoRequestInput = {
  name: 'payments-api',
  project: 'Payments',
  stack: 'node',
  ownerTeam: 'team-payments',
  description: 'Card payments API',
  environments: ['dev', 'staging', 'prod'],
  requestedBy: { id: 'aad-1', name: 'Ada Lovelace', email: 'ada@contoso.com' },
};

describe('parseKeyValueCommand: the one-shot form', () => {
  it('reads the documented example', () => {
    const text = 'create repo name=payments-api project=Payments stack=node owner=team-payments description="Card payments API" envs=dev,staging,prod';
    expect(parseKeyValueCommand(text)).toEqual({
      values: { name: 'payments-api', project: 'Payments', stack: 'node', ownerTeam: 'team-payments', description: 'Card payments API', environments: ['dev', 'staging', 'prod'] },
      problems: [],
    });
  });

  it('works with or without the command words, and with only some keys', () => {
    expect(parseKeyValueCommand('Create Repository name=x').values).toEqual({ name: 'x' });
    expect(parseKeyValueCommand('name=x stack=py').values).toEqual({ name: 'x', stack: 'python' });
    expect(parseKeyValueCommand('create repo')).toEqual({ values: {}, problems: [] });
  });

  it.each([
    ['java', 'java-spring-boot'], ['spring', 'java-spring-boot'], ['springboot', 'java-spring-boot'], ['spring-boot', 'java-spring-boot'],
    ['Java-Spring-Boot', 'java-spring-boot'], ['node', 'node'], ['nodejs', 'node'], ['node.js', 'node'], ['ts', 'node'], ['TypeScript', 'node'],
    ['python', 'python'], ['py', 'python'],
  ])('stack alias %s -> %s', (alias, stack) => {
    expect(parseKeyValueCommand(`stack=${alias}`)).toEqual({ values: { stack }, problems: [] });
    expect(stackFromAlias(alias)).toBe(stack);
  });

  it('reports an unknown stack and leaves it out', () => {
    expect(parseKeyValueCommand('stack=cobol')).toEqual({ values: {}, problems: ['stack "cobol" is not one we support (java, node or python)'] });
  });

  it('accepts key aliases, in any case', () => {
    const { values, problems } = parseKeyValueCommand('Repo=a PROJECT=b Team=c desc=d environments=prod,staging Lang=java');
    expect(problems).toEqual([]);
    expect(values).toEqual({ name: 'a', project: 'b', ownerTeam: 'c', description: 'd', environments: ['staging', 'prod'], stack: 'java-spring-boot' });
  });

  it('quoted values keep spaces, = and the other quote; backslash escapes the quote', () => {
    const { values, problems } = parseKeyValueCommand(`description="say \\"hi\\" to a=b" project='Team Payments' owner="it's"`);
    expect(problems).toEqual([]);
    expect(values).toEqual({ description: 'say "hi" to a=b', project: 'Team Payments', ownerTeam: "it's" });
  });

  it('understands typographic quotes from mobile keyboards', () => {
    expect(parseKeyValueCommand('description=\u201cCard payments\u201d project=\u2018Big Project\u2019').values).toEqual({ description: 'Card payments', project: 'Big Project' });
  });

  it('deployment targets: aliases, any separator, deduplicated, in release order', () => {
    expect(parseKeyValueCommand('envs="production, stage dev,dev"').values.environments).toEqual(['dev', 'staging', 'prod']);
    expect(parseKeyValueCommand('envs=prod;staging').values.environments).toEqual(['staging', 'prod']);
    expect(parseKeyValueCommand('envs=dev,qa')).toEqual({ values: { environments: ['dev'] }, problems: ['"qa" is not a deployment target (dev, staging or prod)'] });
  });

  it('reports unknown keys, stray words, empty values, repeated keys and unclosed quotes', () => {
    const { values, problems } = parseKeyValueCommand('create repo please name= stack=node colour=red name=a name=b description="no end');
    expect(values).toEqual({ stack: 'node', name: 'b', description: 'no end' });
    expect(problems).toEqual([
      'the value of description has no closing quote',
      '"please" is not a key=value pair (for example name=payments-api)',
      'name has no value',
      'unknown key "colour" (known keys: name, project, stack, owner, description, envs)',
      'name is given twice; the last value counts',
      'name is given twice; the last value counts',
    ]);
  });

  it('forgives a space after =', () => {
    expect(parseKeyValueCommand('name= payments-api project = Payments').values).toEqual({ name: 'payments-api', project: 'Payments' });
  });

  it('keeps hostile text as plain values: checking them is the schema\'s job', () => {
    const { values } = parseKeyValueCommand('name="${{ variables.x }}" description="a: b\\n- script: rm -rf /"');
    expect(values).toEqual({ name: '${{ variables.x }}', description: 'a: b\\n- script: rm -rf /' });
    expect(parseRepoRequest({ ...valid, ...values }).ok).toBe(false);
  });
});

describe('parseRepoRequest: the rules', () => {
  it('accepts a valid request and normalises it', () => {
    const result = parseRepoRequest({
      ...valid,
      name: '  payments-api ',
      ownerTeam: 'group:default/team-payments',
      environments: ['prod', 'dev', 'staging', 'dev'],
    });
    expect(result).toEqual({ ok: true, request: { ...valid, environments: ['dev', 'staging', 'prod'] } });
  });

  it('deployment targets: non-empty, prod only with staging', () => {
    expect(parseRepoRequest({ ...valid, environments: ['dev'] }).ok).toBe(true);
    expect(parseRepoRequest({ ...valid, environments: ['staging', 'prod'] }).ok).toBe(true);
    expect(parseRepoRequest({ ...valid, environments: ['prod'] })).toEqual({
      ok: false,
      problems: ['deployment targets include prod but not staging (every release passes staging before production)'],
    });
    expect(parseRepoRequest({ ...valid, environments: ['dev', 'prod'] }).ok).toBe(false);
    expect(parseRepoRequest({ ...valid, environments: [] })).toEqual({ ok: false, problems: ['deployment targets are empty (choose at least one of dev, staging, prod)'] });
  });

  it('says what is wrong with each field, and suggests a name', () => {
    const result = parseRepoRequest({
      name: 'Payments API',
      project: 'Pay$ments',
      stack: 'go',
      ownerTeam: 'team payments',
      description: '',
      environments: ['prod'],
      requestedBy: { id: 'x', name: 'y', email: 'not-an-email' },
    });
    expect(result).toEqual({
      ok: false,
      suggestedName: 'payments-api',
      problems: [
        'name contains spaces',
        'name contains upper case letters',
        'project contains characters Azure DevOps does not allow in project names',
        'stack must be one of java-spring-boot, node, python',
        'owner team must be a catalog group name such as team-payments (letters, digits, single - _ or . between them)',
        'description is missing',
        'deployment targets include prod but not staging (every release passes staging before production)',
        'requester email is not an email address',
      ],
    });
  });

  it('names every missing field', () => {
    expect(parseRepoRequest({})).toEqual({
      ok: false,
      problems: ['name is missing', 'project is missing', 'stack is missing', 'owner team is missing', 'description is missing', 'deployment targets are missing', 'requester is missing'],
    });
  });

  it('applies the configured naming convention', () => {
    const rules = namingRulesFrom({ requiredSuffixes: ['-svc'] });
    expect(parseRepoRequest(valid, rules)).toEqual({ ok: false, problems: ['name must end with "-svc"'], suggestedName: 'payments-api-svc' });
    expect(parseRepoRequest({ ...valid, name: 'payments-svc' }, rules).ok).toBe(true);
  });

  it('rejects hostile names, projects and owner teams', () => {
    const hostile = ['x\ny', 'a: b', '#x', '${{ x }}', '$(x)', "o'k", '"q"', '- script: rm -rf /', '&a', '*a', '---'];
    for (const h of hostile) {
      expect(parseRepoRequest({ ...valid, name: h }).ok).toBe(false);
      expect(parseRepoRequest({ ...valid, ownerTeam: h }).ok).toBe(false);
    }
    for (const h of ['x\ny', 'a: b', '#x', '${{ x }}', '$(x)', "o'k", '"q"', '[x]', '_x', 'x.']) expect(parseRepoRequest({ ...valid, project: h }).ok).toBe(false);
    expect(parseRepoRequest({ ...valid, project: 'Team Payments (EU)' }).ok).toBe(true);
  });

  it('descriptions are prose: quotes, colons and expressions are fine, control characters are not', () => {
    for (const d of ['a: b\n- script: rm -rf /', '${{ variables.x }} $(y) #z', `it's "quoted"`, '---\n&a *a']) expect(parseRepoRequest({ ...valid, description: d }).ok).toBe(true);
    expect(parseRepoRequest({ ...valid, description: 'bell\u0007' })).toEqual({ ok: false, problems: ['description contains control characters'] });
    expect(parseRepoRequest({ ...valid, description: 'rtl \u202e override' }).ok).toBe(false);
    expect(parseRepoRequest({ ...valid, description: 'x'.repeat(501) }).ok).toBe(false);
  });
});
