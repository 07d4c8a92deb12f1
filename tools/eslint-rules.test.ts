// The lint rules that guard the architecture must themselves be tested: a forbidden import or a wall-clock read in
// a deterministic package has to be reported.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The probes are linted from memory, so type-aware rules (which need files on disk) are switched off; the rules under
// test are syntactic.
const eslint = new ESLint({
  cwd: new URL('..', import.meta.url).pathname,
  overrideConfig: [
    { languageOptions: { parserOptions: { projectService: false } } },
    tseslint.configs.disableTypeChecked,
  ],
});

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: line ${m.line}: ${m.message}`);
}

describe('eslint.config.js', () => {
  it('forbids core from importing another workspace package, a Node module or an npm package', async () => {
    const messages = await ruleIds(
      "import { x } from '@kitepilot/store';\nimport { y } from 'node:fs';\nimport z from 'pino';\nexport const v = [x, y, z];\n",
      'packages/core/src/model/probe.ts',
    );
    const lines = new Set(
      messages.filter((m) => m.startsWith('no-restricted-imports')).map((m) => /line (\d+)/.exec(m)?.[1]),
    );
    expect([...lines].sort()).toEqual(['1', '2', '3']);
  });

  it('allows the store to import core but not the server', async () => {
    const allowed = await ruleIds(
      "import { paise } from '@kitepilot/core';\nexport const v = paise;\n",
      'packages/store/src/probe.ts',
    );
    expect(allowed.filter((m) => m.startsWith('no-restricted-imports'))).toEqual([]);
    const denied = await ruleIds(
      "import { VERSION } from '@kitepilot/server';\nexport const v = VERSION;\n",
      'packages/store/src/probe.ts',
    );
    expect(denied.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('forbids deep imports into another package source', async () => {
    const messages = await ruleIds(
      "import { x } from '@kitepilot/core/src/model/money.ts';\nexport const v = x;\n",
      'packages/kite/src/probe.ts',
    );
    expect(messages.some((m) => m.includes('No deep imports'))).toBe(true);
  });

  it('bans wall-clock time, Math.random and timers in deterministic packages', async () => {
    const code = [
      'export const a = Date.now();',
      'export const b = new Date();',
      'export const c = Math.random();',
      'setTimeout(() => undefined, 1);',
      'export const d = new Date(0);',
    ].join('\n');
    const messages = await ruleIds(code, 'packages/core/src/model/probe.ts');
    expect(messages.filter((m) => /no-restricted-(properties|syntax|globals)/.test(m))).toHaveLength(4);
  });

  it('leaves adapters free to use timers', async () => {
    const messages = await ruleIds(
      'setTimeout(() => undefined, 1);\nexport const a = Date.now();\n',
      'packages/kite/src/probe.ts',
    );
    expect(messages.filter((m) => /no-restricted-(properties|syntax|globals)/.test(m))).toEqual([]);
  });
});
