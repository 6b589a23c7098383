// Lint rules on top of the type checker: the recommended sets, nothing exotic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.lab/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', location: 'readonly' } },
  },
  {
    // The console's script runs in the browser.
    files: ['scenarios/console/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', fetch: 'readonly', performance: 'readonly', EventSource: 'readonly', CSS: 'readonly', setInterval: 'readonly' },
    },
  },
  {
    // The Express example is a Node.js program of its own, in plain JavaScript.
    files: ['examples/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
