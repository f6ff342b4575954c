import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHITECTURE_DOC, moduleDependencies, renderArchitectureDoc } from './module-map';

const root = join(__dirname, '..');

describe('docs module map', () => {
  it(`${ARCHITECTURE_DOC} lists each app's and lib's @app/* dependencies as the code imports them`, () => {
    const committed = readFileSync(join(root, ARCHITECTURE_DOC), 'utf8');
    const generated = renderArchitectureDoc(root);
    // A message, not a diff of a 25-row table: the fix is one command.
    if (committed !== generated) {
      throw new Error(
        `${ARCHITECTURE_DOC}'s module map differs from the imports: run \`npm run docs:modules\` and commit the result`,
      );
    }
  });

  it('derives a dependency from an import and never lists a lib as its own', () => {
    const map = moduleDependencies(root);
    // Pins the derivation itself on one edge that has existed from the start.
    expect(map.get('apps/worker')).toContain('runtime');
    for (const [unit, uses] of map) {
      expect(uses).not.toContain(unit.replace(/^libs\//, ''));
    }
  });
});
