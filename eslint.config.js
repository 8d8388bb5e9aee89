// ESLint flat config: recommended + type-aware TypeScript rules; no `any` in the core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
