/**
 * The Node.js releases Sightline runs on: the 24 LTS line from its first LTS release, and
 * anything newer. package.json pins the exact runtime (the `node` devDependency, which every
 * npm script runs on) and states this range in `engines`; .nvmrc and the Dockerfile's base
 * image name the same line (supported-node.spec.ts holds all of them together).
 */
export const SUPPORTED_NODE = { major: 24, minor: 11, patch: 0 } as const;

export const SUPPORTED_NODE_RANGE = `>=${SUPPORTED_NODE.major}.${SUPPORTED_NODE.minor}.${SUPPORTED_NODE.patch}`;

function parse(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

export function isSupportedNode(version: string): boolean {
  const [major, minor, patch] = parse(version);
  const wanted = [SUPPORTED_NODE.major, SUPPORTED_NODE.minor, SUPPORTED_NODE.patch];
  const actual = [major, minor, patch];
  for (let part = 0; part < 3; part++) {
    if (actual[part] !== wanted[part]) return (actual[part] ?? 0) > (wanted[part] ?? 0);
  }
  return true;
}

/** What to tell someone who started a process on an older Node; undefined when it is fine. */
export function unsupportedNodeMessage(version: string, execPath: string): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return [
    `Sightline needs Node.js ${SUPPORTED_NODE_RANGE} (the ${SUPPORTED_NODE.major} LTS line); ` +
      `this is Node.js ${version} (${execPath}).`,
    `Start it through npm (npm start, npm run start:worker, npm run cli), which runs the ` +
      `Node.js that package.json pins, or install Node.js ${SUPPORTED_NODE.major}.`,
  ].join('\n');
}
