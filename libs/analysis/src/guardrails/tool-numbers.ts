import type { AgentOutputItem } from '@openai/agents';

const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Every number written in `value`: numeric leaves, and numbers inside its strings. */
export function numbersIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'number') into.push(String(Math.abs(value)));
  else if (typeof value === 'string') into.push(...(value.match(NUMBER) ?? []));
  else if (Array.isArray(value)) for (const item of value) numbersIn(item, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) numbersIn(item, into);
  return into;
}

/**
 * The text of the tool outputs among a run's items. `record_metric`'s are left out: they
 * echo the model's own arguments (a refusal quotes the number it refused).
 */
export function toolOutputTexts(items: readonly AgentOutputItem[]): string[] {
  return items.flatMap((item) => {
    if (item.type !== 'function_call_result' || item.name === 'record_metric') return [];
    const output: unknown = item.output;
    if (typeof output === 'string') return [output];
    if (typeof output === 'object' && output !== null && 'text' in output)
      return [String(output.text)];
    return [JSON.stringify(output)];
  });
}

/**
 * The numbers of `shown` that no tool output holds, at the precision they are shown with
 * (`3.14` matches a tool's `3.14159`; `3.15` does not). Signs are ignored: a minus is as
 * often a dash (`2025-01-02`, `rows 3-5`) as a sign.
 */
export function numbersNotFromTools(
  shown: readonly string[],
  toolTexts: readonly string[],
): string[] {
  const known = new Set<string>();
  for (const text of toolTexts) for (const token of text.match(NUMBER) ?? []) known.add(token);
  const values = [...known].map(Number).filter(Number.isFinite);
  return [...new Set(shown)].filter((token) => {
    if (known.has(token)) return false;
    const target = Number(token);
    const [mantissa = ''] = token.toLowerCase().split('e');
    const decimals = mantissa.split('.')[1]?.length ?? 0;
    const digits = mantissa.replace('.', '').replace(/^0+/, '').length || 1;
    return !values.some(
      (value) =>
        value === target ||
        (decimals <= 20 && Number(value.toFixed(decimals)) === target) ||
        (digits <= 21 && Number(value.toPrecision(digits)) === target),
    );
  });
}
