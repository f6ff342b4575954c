import { parse } from 'node:querystring';

/** Query parameters named `<prefix>.<key>` that are gathered into one object. */
const GROUPED_PREFIXES = new Set(['dim']);

/**
 * Fastify's query string parsing, plus one rule: `dim.region=eu&dim.tier=gold` arrives
 * as `{ dim: { region: 'eu', tier: 'gold' } }`, so a DTO can declare and validate the
 * open-ended dimension filters of docs/api.md as one field. A plain `dim=x` beside them
 * keeps them apart (and validation refuses the mix).
 */
export function parseQueryString(text: string): Record<string, unknown> {
  const parsed: Record<string, unknown> = { ...parse(text) };
  const groups = new Map<string, Record<string, unknown>>();
  for (const key of Object.keys(parsed)) {
    const dot = key.indexOf('.');
    const prefix = key.slice(0, dot);
    if (dot <= 0 || !GROUPED_PREFIXES.has(prefix) || prefix in parsed) continue;
    let group = groups.get(prefix);
    if (group === undefined) groups.set(prefix, (group = {}));
    group[key.slice(dot + 1)] = parsed[key];
    delete parsed[key];
  }
  for (const [prefix, group] of groups) parsed[prefix] = group;
  return parsed;
}
