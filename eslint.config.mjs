// Lint + the one-way flow of DESIGN.md, enforced: a lower layer never imports a higher one.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const SDK_CLIENTS = ['azure-devops-node-api', 'azure-devops-node-api/*', '@azure/*', '@microsoft/microsoft-graph-client', 'mongoose'];

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
            { target: './src/domain', from: ['./src/adapters', './src/bot', './src/sandbox', './dialogs', './cards', './src/server.ts', './src/main.ts'], message: 'The domain depends on nothing above it.' },
            { target: './src/adapters', from: ['./src/bot', './src/sandbox', './dialogs', './cards', './src/server.ts', './src/main.ts'], message: 'Adapters implement ports; they never call up.' },
            { target: './src/adapters/catalog-index', from: ['./src/adapters/azure-devops', './src/adapters/azure-identity', './src/adapters/files', './src/adapters/graph', './src/adapters/mongo'], message: 'The catalog index gets its store and snapshot store as domain ports, never another adapter.' },
            { target: './dialogs', from: ['./src/adapters', './src/sandbox', './src/server.ts', './src/main.ts', './src/bot'], message: 'Dialogs use services, never adapters.' },
            { target: './cards', from: ['./src', './dialogs'], message: 'Cards are templates + data: no logic from above.' },
            { target: './src/bot', from: ['./src/adapters', './src/sandbox', './src/main.ts'], message: 'The bot gets services from the composition root.' },
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
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.service'], message: 'Adapters never call services.' }] }],
    },
  },
);
