// Lint, including the layer boundaries: who may import whom is checked here, not only in the README.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'worker_threads'];

const ELECTRON = { name: 'electron', message: 'electron is imported only inside src/main/electron/.' };
const SQLITE = { name: 'better-sqlite3', message: 'better-sqlite3 is opened only by src/main/core/store/db.ts.' };
const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

/** Focused or skipped tests never land: they would silently shrink the suite. */
const noFocusedOrSkipped = {
  selector:
    "CallExpression > MemberExpression[object.name=/^(it|test|describe)$/][property.name=/^(only|skip|todo)$/]",
  message: 'Focused or skipped tests are not allowed; make the test run or delete it.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', noFocusedOrSkipped],
    },
  },
  // Layer zones. ESLint replaces (does not merge) a rule's options per block, so each zone
  // states its whole list; later blocks win for the files they match.
  { files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'], rules: restrict([ELECTRON]) },
  { files: ['src/**/*.{ts,tsx}'], rules: restrict([ELECTRON, SQLITE]) },
  { files: ['src/main/electron/**/*.ts', 'test/electron/**/*.ts'], rules: restrict([SQLITE]) },
  {
    files: ['src/main/core/**/*.ts'],
    rules: restrict([ELECTRON, SQLITE], [{ group: ['**/renderer/**', '**/electron/**', '**/host/**', '**/cli/**'], message: 'core may not import the shells or the renderer.' }]),
  },
  {
    files: ['src/main/core/store/db.ts'],
    rules: restrict([ELECTRON], [{ group: ['**/renderer/**', '**/electron/**', '**/host/**', '**/cli/**'], message: 'core may not import the shells or the renderer.' }]),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [ELECTRON, SQLITE, ...['react', 'react-dom', 'zustand', 'recharts'].map((name) => ({ name, message: 'src/shared stays pure: no UI libraries.' }))],
      [
        { group: nodeBuiltins, message: 'src/shared stays pure: no Node built-ins.' },
        { group: ['**/main/**', '**/renderer/**'], message: 'src/shared may not import other layers.' },
      ],
    ),
  },
  // The renderer: browser code that reaches the core only through the API client.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [ELECTRON, SQLITE],
        [
          { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node built-ins.' },
          { group: ['**/main/**'], message: 'The renderer reaches the core only through the API client.' },
        ],
      ),
    },
  },
);
