/**
 * Node.js 22, no dependencies: node:http serves GET /healthz, node:test tests it. `npm ci` works
 * at once because the lockfile is generated too; `npm run test:ci` writes the JUnit XML the
 * pipeline publishes.
 */
import type { StackSkeleton, TemplateInput } from './skeleton.types';

const NODE_MAJOR = '22';

export function nodeSkeleton({ request, names }: TemplateInput): StackSkeleton {
  const manifest = {
    name: names.artifact,
    version: '0.1.0',
    private: true,
    description: request.description,
    main: 'src/server.js',
    scripts: {
      start: 'node src/server.js',
      test: 'node --test',
      // The junit reporter does not create its folder.
      'pretest:ci': "node -e \"require('node:fs').mkdirSync('test-results', { recursive: true })\"",
      'test:ci': 'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=test-results/junit.xml',
    },
    engines: { node: '>=20' },
    license: 'UNLICENSED',
  };
  const lockfile = {
    name: names.artifact,
    version: '0.1.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: names.artifact, version: '0.1.0', license: 'UNLICENSED', engines: { node: '>=20' } } },
  };
  return {
    files: [
      { path: 'package.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
      { path: 'package-lock.json', content: `${JSON.stringify(lockfile, null, 2)}\n` },
      { path: 'src/server.js', content: SERVER },
      { path: 'test/server.test.js', content: SERVER_TEST },
      { path: '.nvmrc', content: `${NODE_MAJOR}\n` },
      { path: 'Dockerfile', content: DOCKERFILE },
    ],
    commands: [
      { label: 'Install', command: 'npm ci' },
      { label: 'Test', command: 'npm test' },
      { label: 'Run (http://localhost:3000/healthz)', command: 'npm start' },
      { label: 'Container', command: 'docker build -t app . && docker run -p 3000:3000 app' },
    ],
    gitignore: ['node_modules/', 'test-results/', 'coverage/', '.env', 'npm-debug.log*', '.DS_Store'],
    dockerignore: ['node_modules/', 'test-results/', 'coverage/', '.git/', '.env'],
    tags: ['nodejs'],
  };
}

const SERVER = `'use strict';
// HTTP entry point on node:http alone, so the service starts with nothing installed.
const http = require('node:http');

function createServer() {
  return http.createServer((req, res) => {
    const { pathname } = new URL(req.url || '/', 'http://localhost');
    if (req.method === 'GET' && pathname === '/healthz') return send(res, 200, { status: 'ok' });
    return send(res, 404, { error: 'not found' });
  });
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  createServer().listen(port, () => console.log('listening on port ' + port));
}

module.exports = { createServer };
`;

const SERVER_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('../src/server');

async function start(t) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return 'http://127.0.0.1:' + server.address().port;
}

test('GET /healthz answers ok', async (t) => {
  const base = await start(t);
  const res = await fetch(base + '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('an unknown path is 404', async (t) => {
  const base = await start(t);
  const res = await fetch(base + '/nope');
  assert.equal(res.status, 404);
});
`;

const DOCKERFILE = `FROM node:${NODE_MAJOR}-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY src ./src
USER node
EXPOSE 3000
CMD ["node", "src/server.js"]
`;
