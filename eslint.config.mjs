import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'devTools/**', '.sandbox/**', 'scripts/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^[^.]', message: 'domain/ imports nothing from npm' }] },
      ],
    },
  },
  {
    files: ['src/graph/**/*.ts', 'src/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^botbuilder', message: 'graph/ and auth/ never import botbuilder' }] },
      ],
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)bot(/|$)', message: 'sandbox/ imports nothing from bot/ (the simulator is independent)' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '/graph/', message: 'bot/ never imports graph/' }] }],
    },
  },
  {
    // Boundary: botbuilder and botframework are the Teams edge. Only bot/, server.ts, app.ts and
    // index.ts may import them, so a move to the Microsoft 365 Agents SDK touches those alone.
    // A rule of its own name, so folder rules of no-restricted-imports do not replace it.
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**', 'src/server.ts', 'src/app.ts', 'src/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(botbuilder|botframework-)',
              message: 'botbuilder and botframework imports belong in src/bot/, server.ts, app.ts or index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // Boundary: notifications, state and alerts are below the handler; they never reach up into it.
    files: ['src/notifications/**/*.ts', 'src/state/**/*.ts', 'src/alerts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)bot(/|$)', message: 'notifications/, state/ and alerts/ never import bot/' }] },
      ],
    },
  },
);
