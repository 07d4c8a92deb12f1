// Lint rules, including the import-direction check of DESIGN.md §2 and the ban on
// wall-clock time, randomness and timers inside the deterministic packages.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which workspace packages each folder may import (by folder name under packages/, apps/, strategies/).
 * Arrows point inward: apps → adapters/research → engine/sim → indicators → core.
 * `apps/*` other than web may import anything and are not listed.
 */
const allowedImports = {
  'packages/core': [],
  'packages/indicators': ['core'],
  'packages/engine': ['core', 'indicators'],
  'packages/sim': ['core'],
  'packages/charges': ['core'],
  'packages/research': ['core', 'engine', 'sim', 'charges'],
  'packages/ml': ['core', 'indicators'],
  'packages/options': ['core'],
  'packages/runtime': ['core'],
  'packages/kite': ['core', 'runtime'],
  'packages/kite-sim': ['core', 'sim', 'runtime'],
  'packages/store': ['core'],
  'packages/market-data': ['core', 'engine'],
  'packages/api-contract': ['core'],
  'strategies/*': ['core', 'indicators', 'engine'],
  'apps/web': ['api-contract'],
};

/** Folders whose code must be deterministic: no wall time, no Math.random, no timers. */
const deterministic = ['packages/core', 'packages/engine', 'packages/sim', 'strategies/*'];

const boundaryConfigs = Object.entries(allowedImports).map(([folder, allowed]) => {
  const allowedAlternation = allowed.length > 0 ? `(?!(${allowed.join('|')})$)` : '';
  const patterns = [
    {
      regex: `^@kitepilot/${allowedAlternation}[^/]+$`,
      message: `${folder} may import only: ${allowed.length ? allowed.map((a) => '@kitepilot/' + a).join(', ') : 'nothing from the workspace'} (DESIGN.md §2).`,
    },
    { regex: '^@kitepilot/[^/]+/src(/|$)', message: 'No deep imports: use the package exports.' },
  ];
  if (folder === 'packages/core') {
    patterns.push({
      regex: '^(?!\\.)(?!.*\\.json$)',
      message: 'packages/core imports nothing outside itself (DESIGN.md §2).',
    });
  }
  return {
    files: [`${folder}/src/**/*.{ts,tsx}`],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
});

const deterministicConfig = {
  files: deterministic.map((f) => `${f}/src/**/*.ts`),
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-globals': [
      'error',
      ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'performance'].map(
        (name) => ({ name, message: `${name} is banned here: take a Clock port instead (STYLE.md).` }),
      ),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: 'Date.now is banned here: use the Clock port.' },
      { object: 'Math', property: 'random', message: 'Math.random is banned here: use the Random port.' },
      {
        object: 'process',
        property: 'hrtime',
        message: 'process.hrtime is banned here: use the Clock port.',
      },
      {
        object: 'performance',
        property: 'now',
        message: 'performance.now is banned here: use the Clock port.',
      },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'new Date() reads wall time: use the Clock port.',
      },
      {
        selector: "CallExpression[callee.name='Date'][arguments.length=0]",
        message: 'Date() reads wall time: use the Clock port.',
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...boundaryConfigs,
  deterministicConfig,
  {
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
