// ESLint flat config: recommended + type-aware TypeScript rules; no `any` in the core; the
// layer table of docs/architecture.md (lint/layers.mjs: what each folder of src/ may import).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import layers from './lint/layers.mjs';

export default tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'python/**', 'ui-tests/**', 'coverage/**', '.venv/**', 'demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'smart'],
      // JupyterLab style: `namespace CommandIDs`, and Lumino's signal.connect(fn, thisArg) binds `this`.
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/unbound-method': 'off'
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.fixtures.ts', 'src/test-setup/**'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' }
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error', '@typescript-eslint/no-unsafe-argument': 'error' }
  },
  {
    files: ['**/*.spec.ts', 'src/test-setup/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/require-await': 'off' }
  },
  {
    files: ['*.js', '*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'module', globals: { module: 'writable', require: 'readonly' } }
  }
);
