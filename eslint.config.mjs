// Lint + the one-way flow of docs/architecture.md, enforced: a lower layer never imports a higher one.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

import { readdirSync } from 'node:fs';

const SDK_CLIENTS = ['azure-devops-node-api', 'azure-devops-node-api/*', '@azure/*', '@microsoft/microsoft-graph-client', 'mongoose', 'prom-client'];
/** The chat framework and the HTTP/logging stack: the edge's business, never the domain's. */
const EDGE_PACKAGES = ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*', 'pino', 'pino-*', 'adaptivecards*'];
/** One folder per flow under dialogs/ (common/ is what every flow may use). */
const FLOWS = readdirSync(new URL('./dialogs', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'common').map((d) => d.name);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/domain', from: ['./src/adapters', './src/bot', './src/http', './src/sandbox', './dialogs', './cards', './src/server.ts', './src/main.ts', './src/logger.ts', './src/config.ts'], message: 'The domain depends on nothing above it.' },
            { target: './src/adapters', from: ['./src/bot', './src/sandbox', './dialogs', './cards', './src/server.ts', './src/main.ts'], message: 'Adapters implement ports; they never call up.' },
            { target: './src/adapters/catalog-index', from: ['./src/adapters/azure-devops', './src/adapters/azure-identity', './src/adapters/files', './src/adapters/graph', './src/adapters/mongo'], message: 'The catalog index gets its store and snapshot store as domain ports, never another adapter.' },
            { target: './dialogs', from: ['./src/adapters', './src/sandbox', './src/server.ts', './src/main.ts', './src/http'], message: 'Dialogs use services and the bot machinery, never adapters.' },
            ...FLOWS.map((flow) => ({ target: `./dialogs/${flow}`, from: './dialogs', except: [`./${flow}`, './common'], message: `A flow uses its own folder and dialogs/common, never another flow's folder (move what both need to dialogs/common or src/bot).` })),
            { target: './dialogs/common', from: FLOWS.map((flow) => `./dialogs/${flow}`), message: 'dialogs/common serves every flow; it never imports one.' },
            { target: './cards', from: ['./src', './dialogs'], message: 'Cards are templates + data: no logic from above.' },
            { target: './src/bot', from: ['./src/adapters', './src/sandbox', './src/main.ts', './dialogs'], message: 'src/bot is generic machinery: it gets features and services from the composition root, never a flow.' },
            { target: './src/http', from: ['./src/adapters', './src/sandbox', './src/main.ts', './src/bot'], message: 'HTTP routes get services from the composition root.' },
            { target: './src/sandbox', from: ['./src/bot', './dialogs', './cards', './src/main.ts', './src/server.ts'], message: 'The sandbox only provides stand-ins and seed data.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/bot/**/*.ts', 'src/http/**/*.ts', 'dialogs/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: SDK_CLIENTS, message: 'Only adapters (src/adapters) talk to SDK clients.' }] }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDK_CLIENTS, message: 'Only adapters (src/adapters) talk to SDK clients.' },
            { group: EDGE_PACKAGES, message: 'The domain knows no chat framework, HTTP server or logger package: take a port or a plain interface.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.service'], message: 'Adapters never call services.' }] }],
    },
  },
);
