import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isSupportedNode,
  SUPPORTED_NODE,
  SUPPORTED_NODE_RANGE,
  unsupportedNodeMessage,
} from './supported-node';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('supported Node.js releases', () => {
  it.each(['v20.20.2', 'v22.22.0', 'v23.11.1', 'v24.0.0', 'v24.10.9', '18.20.8'])(
    'refuses %s',
    (version) => expect(isSupportedNode(version)).toBe(false),
  );

  it.each(['v24.11.0', 'v24.11.1', 'v24.21.0', 'v25.0.0', 'v26.10.0', '30.0.0'])(
    'accepts %s',
    (version) => expect(isSupportedNode(version)).toBe(true),
  );

  it('tells an older Node what it needs, and where the running one is', () => {
    const message = unsupportedNodeMessage('v20.20.2', '/usr/bin/node');
    expect(message).toContain('needs Node.js >=24.11.0');
    expect(message).toContain('this is Node.js v20.20.2 (/usr/bin/node)');
    expect(message).toContain('npm start');
    expect(unsupportedNodeMessage('v24.21.0', '/opt/node')).toBeUndefined();
  });
});

describe('one Node.js line across the project', () => {
  it('package.json states the supported range in engines', () => {
    expect(packageJson.engines.node).toBe(SUPPORTED_NODE_RANGE);
  });

  it('package.json pins an exact, supported runtime', () => {
    const pinned = packageJson.devDependencies.node ?? '';
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(isSupportedNode(pinned)).toBe(true);
    expect(pinned.split('.')[0]).toBe(String(SUPPORTED_NODE.major));
  });

  it('.nvmrc and every stage of the Dockerfile name the same line', () => {
    expect(read('.nvmrc').trim()).toBe(String(SUPPORTED_NODE.major));
    const bases = [...read('Dockerfile').matchAll(/^FROM node:(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(new RegExp(`^${SUPPORTED_NODE.major}-`));
  });
});

describe('the Node.js running this suite', () => {
  // The pinned runtime unless the run says which one it installed (the CI workflow's matrix
  // does): a suite that quietly ran on another Node fails here instead of passing.
  // eslint-disable-next-line no-restricted-properties -- the test run's setting, not the app's
  const expected = process.env.SIGHTLINE_EXPECTED_NODE ?? packageJson.devDependencies.node ?? '';

  it(`is ${expected}`, () => {
    const wanted = expected.replace(/^v/, '');
    const actual = process.versions.node;
    // A bare major ("26") accepts any release of that line.
    expect(wanted.includes('.') ? actual : actual.split('.')[0]).toBe(wanted);
    expect(isSupportedNode(process.version)).toBe(true);
  });
});
