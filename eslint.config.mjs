// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Which projects may import which (project.json tags). */
const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:shared', notDependOnLibsWithTags: ['scope:testing'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:service'] },
  // The web console runs in a browser: the contracts only (schemas, codes, paths), never node code.
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['scope:shared'] },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.nx/**', '.data/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read the environment only in a service's config.ts (STYLE.md).",
        },
      ],
    },
  },
  {
    // Where the environment is legitimately read: each service's config, the
    // test-server launcher, integration tests, and the developer tools.
    files: [
      'services/*/src/config.ts',
      'libs/testing/src/**/*.ts',
      'libs/*/test/**/*.ts',
      '**/*.int-spec.ts',
      'tools/**/*.ts',
      'tests/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Production code of services and tools never links the test-server launcher.
    files: ['services/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            ...depConstraints,
            { sourceTag: 'type:service', notDependOnLibsWithTags: ['scope:testing'] },
          ],
        },
      ],
    },
  },
  {
    // System tests (browser ones too) boot every service in-process, through each one's public entry point.
    files: ['tests/system/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: ['@warden/service-*'], depConstraints },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts'],
    rules: {
      // expect(obj.method).toHaveBeenCalled() and friends
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The web console reads no environment; the browser globals are its own.
    files: ['apps/console/**/*.{ts,tsx,mts}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['apps/console/test/*.js'],
    languageOptions: { globals: { window: 'readonly', globalThis: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        module: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    // Nx loads generators with require(): they are CommonJS on purpose.
    files: ['tools/nx-plugin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
