// ESLint flat config: typescript-eslint's type-checked rules over the TypeScript sources (src, test,
// bench, scripts), with eslint-config-prettier last so that formatting is Prettier's business only.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'openapi/', 'bench/results/', '.scratch/', '**/*.js'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program for everything: test/tsconfig.json takes in src, test, bench and scripts.
        project: ['./test/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe / it / test return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Fastify plugins and the library's public methods are async by contract, with or without an await.
      '@typescript-eslint/require-await': 'off',
      // Strategies, stage specs and stores are records of functions written in method syntax that never use
      // `this`; passing them on is how definitions compose (ResourceDefinition, served versions).
      '@typescript-eslint/unbound-method': 'off',
      // String(value) of decoded JSON prints Go-style messages; the values are scalars by then, or the message
      // shows what came (as upstream's %v would).
      '@typescript-eslint/no-base-to-string': 'off',
      // Unions such as `'NoSchedule' | 'NoExecute' | string` name the well-known values of an open string field.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Tests read supertest's and the clients' untyped (any) bodies on purpose: asserting on them is the test.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
