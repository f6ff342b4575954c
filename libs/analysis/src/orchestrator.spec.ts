import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS_SDK_VERSION } from './orchestrator';

describe('AGENTS_SDK_VERSION', () => {
  it('is the @openai/agents version package.json pins', () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@openai/agents']).toBe(AGENTS_SDK_VERSION);
  });
});
