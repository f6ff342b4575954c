// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import path from 'node:path';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Relative imports stay inside their own lib or app (`libs/<name>`, `apps/<name>`);
 * anything else goes through an `@app/<lib>` alias and so through that lib's index.
 */
const noRelativeImportOutOfPackage = {
  meta: {
    type: 'problem',
    messages: {
      out: "'{{source}}' climbs out of {{root}}; import it through its @app/<lib> alias",
    },
  },
  create(context) {
    const file = context.filename;
    const match = /^(.*?[\\/](?:libs|apps)[\\/][^\\/]+)[\\/]/.exec(file);
    if (match === null) return {};
    const root = match[1];
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      if (target !== root && !target.startsWith(root + path.sep)) {
        context.report({
          node,
          messageId: 'out',
          data: { source, root: path.relative(process.cwd(), root) },
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      '.data/**',
      'libs/client/src/schema.d.ts',
      '**/metadata.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '*.ts', 'webpack.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      sightline: { rules: { 'no-relative-import-out-of-package': noRelativeImportOutOfPackage } },
    },
    rules: {
      'sightline/no-relative-import-out-of-package': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@app/*/*'], message: 'Import a lib through its index: @app/<lib>' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration from AppConfig (libs/config); only libs/config reads process.env.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/src/process-environment.ts',
      'test/**',
      'scripts/**',
      '*.config.*',
      '**/*.mjs',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'webpack.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The Nest CLI require()s it: CommonJS.
    files: ['webpack.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
