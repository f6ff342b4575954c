import type { PlannerDataset } from './plan';
import type { Mention } from './question-mentions';

export type Of<K extends Mention['kind']> = Extract<Mention, { kind: K }>;
export type ColumnType = PlannerDataset['columns'][number]['type'];

export const NUMERIC = new Set<ColumnType>(['integer', 'number']);
export const TIME = new Set<ColumnType>(['date', 'datetime']);
export const CATEGORY = new Set<ColumnType>(['string', 'boolean']);

/** Why the planner will not guess: becomes the refusal's reason. */
export class NotUnderstood extends Error {
  constructor(
    message: string,
    readonly words: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The mentions of one question while a query is built from them: which are used, what
 * each was read as, and the dataset's column types.
 */
export abstract class PlanningState {
  protected readonly used = new Set<Mention>();
  protected readonly readings: string[] = [];
  protected readonly types: Map<string, ColumnType>;
  protected readonly timeColumn: string | undefined;

  constructor(
    protected readonly mentions: readonly Mention[],
    protected readonly dataset: PlannerDataset,
  ) {
    this.types = new Map(dataset.columns.map((c) => [c.name, c.type]));
    const mentionedTime = this.all('column')
      .flatMap((m) => m.columns)
      .find((c) => TIME.has(this.type(c)));
    this.timeColumn = mentionedTime ?? dataset.columns.find((c) => TIME.has(c.type))?.name;
  }

  protected all<K extends Mention['kind']>(kind: K): Array<Of<K>> {
    return this.mentions.filter((m): m is Of<K> => m.kind === kind);
  }

  protected type(column: string): ColumnType {
    return this.types.get(column) ?? 'string';
  }

  protected use(mention: Mention, reading?: string): void {
    this.used.add(mention);
    if (reading !== undefined) this.readings.push(reading);
  }

  protected indexOf(mention: Mention): number {
    return this.mentions.indexOf(mention);
  }

  /** The next mention after `mention` that is not filler, or undefined. */
  protected next(
    mention: Mention,
    skip: ReadonlyArray<Mention['kind']> = ['filler'],
  ): Mention | undefined {
    for (let k = this.indexOf(mention) + 1; k < this.mentions.length; k++) {
      if (!skip.includes(this.mentions[k].kind)) return this.mentions[k];
    }
    return undefined;
  }

  protected previous(
    mention: Mention,
    skip: ReadonlyArray<Mention['kind']> = ['filler'],
  ): Mention | undefined {
    for (let k = this.indexOf(mention) - 1; k >= 0; k--) {
      if (!skip.includes(this.mentions[k].kind)) return this.mentions[k];
    }
    return undefined;
  }

  /** The one column a mention means among those that pass `fits`; ambiguity is refused. */
  protected single(mention: Of<'column'>, fits: (column: string) => boolean = () => true): string {
    const fitting = mention.columns.filter(fits);
    if (fitting.length === 1) return fitting[0];
    throw new NotUnderstood(
      `"${mention.text}" could be ${quoteList(fitting.length > 0 ? fitting : mention.columns, 'or')}.`,
      [mention.text],
    );
  }

  protected valueOf(column: string, value: string): string | boolean {
    if (this.type(column) === 'boolean') return value.toLowerCase() === 'true';
    return value;
  }
}

export function quoteList(items: readonly string[], joiner = 'and'): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted[quoted.length - 1]}`;
}
