import type {
  Aggregate,
  QueryComparison,
  QueryDimension,
  QueryFilter,
  QueryMeasure,
  StructuredQuery,
} from '../query/structured-query';
import type { PlannerDataset, QuestionPlan } from './plan';
import { ADDITIVE_WORDS } from './question-lexicon';
import { type Mention, readQuestion } from './question-reading';
import { columnParts, singular } from './question-words';

type Of<K extends Mention['kind']> = Extract<Mention, { kind: K }>;
type ColumnType = PlannerDataset['columns'][number]['type'];

const NUMERIC = new Set<ColumnType>(['integer', 'number']);
const TIME = new Set<ColumnType>(['date', 'datetime']);
const CATEGORY = new Set<ColumnType>(['string', 'boolean']);
/** Rows listed when a superlative names no count ("the hottest day"). */
const DEFAULT_TOP = 1;

/** Why the planner will not guess: becomes the refusal's reason. */
class NotUnderstood extends Error {
  constructor(
    message: string,
    readonly words: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The builtin planner: a question in plain words to a structured query, without a model.
 * It reads the question into mentions (columns, values, aggregates, groups, periods,
 * comparisons) and builds a query only when every content word is placed and nothing is
 * ambiguous; otherwise it refuses, naming what it did not understand — a refusal is
 * better than a confident wrong answer.
 */
export function planQuestion(question: string, dataset: PlannerDataset): QuestionPlan {
  const columns = dataset.columns.map((c) => c.name);
  try {
    const mentions = readQuestion(question, dataset);
    const unknown = mentions.filter((m) => m.kind === 'unknown').map((m) => m.text);
    if (unknown.length > 0)
      throw new NotUnderstood(`Did not understand ${quoteList(unknown)}.`, unknown);
    return { kind: 'planned', ...new QueryBuilder(mentions, dataset).build() };
  } catch (error) {
    if (!(error instanceof NotUnderstood)) throw error;
    return { kind: 'refused', reason: error.message, notUnderstood: error.words, columns };
  }
}

class QueryBuilder {
  private readonly used = new Set<Mention>();
  private readonly readings: string[] = [];
  private readonly types: Map<string, ColumnType>;
  private readonly timeColumn: string | undefined;

  constructor(
    private readonly mentions: readonly Mention[],
    private readonly dataset: PlannerDataset,
  ) {
    this.types = new Map(dataset.columns.map((c) => [c.name, c.type]));
    const mentionedTime = this.all('column')
      .flatMap((m) => m.columns)
      .find((c) => TIME.has(this.type(c)));
    this.timeColumn = mentionedTime ?? dataset.columns.find((c) => TIME.has(c.type))?.name;
  }

  /** "Dream island", "species Gentoo": the column named beside its own value says nothing more. */
  private absorbValueColumns(): void {
    for (const value of this.all('value')) {
      for (const side of [this.previous(value), this.next(value)]) {
        if (
          side?.kind === 'column' &&
          side.columns.length === 1 &&
          side.columns[0] === value.column
        )
          this.use(side);
      }
    }
  }

  build(): { query: StructuredQuery; confidence: number; readings: string[] } {
    this.absorbValueColumns();
    let filters = [...this.valueFilters(), ...this.comparisonFilters(), ...this.timeFilters()];
    const shared = this.shareGroups(filters);
    filters = filters.filter((f) => !shared.some((g) => g.column === f.column));
    const compare = this.comparison();
    const groupBy = [...this.groups(), ...shared];
    const order = this.orderMention();
    const query = this.measuresOrRows(groupBy, order);
    if (filters.length > 0) query.filters = filters;
    if (compare !== undefined) query.compare = compare;
    const left = this.mentions.filter(
      (m) => !this.used.has(m) && !['filler', 'rows', 'group', 'versus'].includes(m.kind),
    );
    if (left.length > 0) {
      const words = left.map((m) => m.text);
      throw new NotUnderstood(`Could not place ${quoteList(words)} in a query.`, words);
    }
    const ambiguous = this.readings.some((r) => r.includes(' or '));
    return { query, confidence: ambiguous ? 0.6 : 1, readings: this.readings };
  }

  /**
   * "what share of days were sunny": a share within the rows filtered to sun would be 1, so
   * the filtered column is grouped instead and each value's share comes back, sun's with it.
   */
  private shareGroups(filters: readonly QueryFilter[]): QueryDimension[] {
    if (!this.all('aggregate').some((a) => a.aggregate === 'share')) return [];
    const columns = filters
      .filter((f) => f.op === 'eq' || f.op === 'in')
      .map((f) => f.column)
      .filter((c) => CATEGORY.has(this.type(c)));
    return [...new Set(columns)].map((column) => ({ column }));
  }

  private all<K extends Mention['kind']>(kind: K): Array<Of<K>> {
    return this.mentions.filter((m): m is Of<K> => m.kind === kind);
  }

  private type(column: string): ColumnType {
    return this.types.get(column) ?? 'string';
  }

  private use(mention: Mention, reading?: string): void {
    this.used.add(mention);
    if (reading !== undefined) this.readings.push(reading);
  }

  private indexOf(mention: Mention): number {
    return this.mentions.indexOf(mention);
  }

  /** The next mention after `mention` that is not filler, or undefined. */
  private next(
    mention: Mention,
    skip: ReadonlyArray<Mention['kind']> = ['filler'],
  ): Mention | undefined {
    for (let k = this.indexOf(mention) + 1; k < this.mentions.length; k++) {
      if (!skip.includes(this.mentions[k].kind)) return this.mentions[k];
    }
    return undefined;
  }

  private previous(
    mention: Mention,
    skip: ReadonlyArray<Mention['kind']> = ['filler'],
  ): Mention | undefined {
    for (let k = this.indexOf(mention) - 1; k >= 0; k--) {
      if (!skip.includes(this.mentions[k].kind)) return this.mentions[k];
    }
    return undefined;
  }

  /** "rainy days", "cars from Japan": equality on a text column; several values: `in`. */
  private valueFilters(): QueryFilter[] {
    const values = this.all('value').filter((v) => !this.isGroupedColumn(v.column));
    if (this.versusSides(values) !== null) return [];
    const byColumn = new Map<string, Array<Of<'value'>>>();
    for (const value of values) {
      byColumn.set(value.column, [...(byColumn.get(value.column) ?? []), value]);
    }
    return [...byColumn].map(([column, list]) => {
      const negated = list.length === 1 && this.previous(list[0])?.kind === 'comparator';
      const comparator = negated ? (this.previous(list[0]) as Of<'comparator'>) : undefined;
      for (const v of list) this.use(v);
      if (comparator !== undefined && comparator.comparator === 'ne') {
        this.use(comparator, `${column} is not ${list[0].value}`);
        return { column, op: 'ne', value: this.valueOf(column, list[0].value) };
      }
      this.readings.push(`${column} = ${list.map((v) => v.value).join(', ')}`);
      return list.length === 1
        ? { column, op: 'eq', value: this.valueOf(column, list[0].value) }
        : { column, op: 'in', values: list.map((v) => this.valueOf(column, v.value)) };
    });
  }

  private valueOf(column: string, value: string): string | boolean {
    if (this.type(column) === 'boolean') return value.toLowerCase() === 'true';
    return value;
  }

  /** "more than 10", "at least 3 cylinders": a comparison with the nearest numeric column. */
  private comparisonFilters(): QueryFilter[] {
    const out: QueryFilter[] = [];
    for (const comparator of this.all('comparator')) {
      if (this.used.has(comparator)) continue;
      const number = this.next(comparator);
      if (number?.kind !== 'number') {
        if (comparator.comparator === 'ne') continue;
        throw new NotUnderstood(`"${comparator.text}" needs a number after it.`, [comparator.text]);
      }
      const { column, mention } = this.numericColumnNear(comparator, number);
      if (mention !== undefined) this.use(mention);
      this.use(comparator);
      this.use(number);
      this.readings.push(`${column} ${SYMBOLS[comparator.comparator]} ${number.value}`);
      out.push({ column, op: comparator.comparator, value: number.value });
    }
    for (const range of this.all('range')) {
      const { column, mention } = this.numericColumnNear(range, range);
      if (mention !== undefined) this.use(mention);
      this.use(range, `${column} from ${range.from} to ${range.to}`);
      out.push({ column, op: 'between', from: range.from, to: range.to });
    }
    return out;
  }

  /** The numeric column a comparison is about: the one named just before it, else just after. */
  private numericColumnNear(
    comparator: Mention,
    number: Mention,
  ): { column: string; mention?: Of<'column'> } {
    const before = this.previous(comparator, ['filler', 'rows']);
    const after = this.next(number, ['filler']);
    for (const candidate of [before, after]) {
      if (candidate?.kind !== 'column' || this.used.has(candidate)) continue;
      const numeric = candidate.columns.filter((c) => NUMERIC.has(this.type(c)));
      if (numeric.length === 1) return { column: numeric[0], mention: candidate };
    }
    // "how many days over 30 degrees": the only numeric column in the question.
    const named = this.all('column')
      .flatMap((m) => m.columns)
      .filter((c) => NUMERIC.has(this.type(c)));
    if (new Set(named).size === 1) return { column: named[0] };
    throw new NotUnderstood(
      `Could not tell which column "${comparator.text} ${number.text}" is about.`,
      [`${comparator.text} ${number.text}`],
    );
  }

  /** "in March 2014", "in the last 30 days": ranges of the time column. */
  private timeFilters(): QueryFilter[] {
    const periods = this.all('period');
    const lasts = this.all('last');
    if (periods.length + lasts.length === 0) return [];
    const column = this.timeColumn;
    if (column === undefined)
      throw new NotUnderstood('The question names a period but the dataset has no date column.', [
        ...periods.map((p) => p.text),
        ...lasts.map((l) => l.text),
      ]);
    if (periods.length === 2 && this.all('versus').length > 0) return [];
    const out: QueryFilter[] = [];
    if (periods.length > 1) {
      const [first, second] = periods;
      const between = this.mentions.slice(this.indexOf(first) + 1, this.indexOf(second));
      if (periods.length !== 2 || !between.every((m) => m.kind === 'filler'))
        throw new NotUnderstood(
          'Several periods: say which to compare ("2014 vs 2015").',
          periods.map((p) => p.text),
        );
      // "between 2014 and 2015", "from March 2014 to May 2014".
      this.use(first);
      this.use(second, `${column} from ${first.label} to ${second.label}`);
      out.push({ column, op: 'between', from: first.from, to: second.to });
    } else if (periods.length === 1) {
      this.use(periods[0], `${column} in ${periods[0].label}`);
      out.push({ column, op: 'between', from: periods[0].from, to: periods[0].to });
    }
    for (const last of lasts) {
      this.use(last, `${column} in the ${last.text} of the data`);
      out.push({ column, op: 'last', amount: last.amount, unit: last.unit });
    }
    return out;
  }

  /** Two values of one column, or two periods, set against each other by "vs", "compared with". */
  private comparison(): QueryComparison | undefined {
    const versus = this.all('versus')[0];
    if (versus === undefined) return undefined;
    const values = this.versusSides(this.all('value'));
    const periods = this.all('period');
    const column = this.timeColumn;
    let sides: Array<{ mention: Mention; label: string; filter: QueryFilter }>;
    if (values !== null) {
      sides = values.map((v) => ({
        mention: v,
        label: v.value,
        filter: { column: v.column, op: 'eq', value: this.valueOf(v.column, v.value) },
      }));
    } else if (periods.length === 2 && column !== undefined) {
      sides = periods.map((p) => ({
        mention: p,
        label: p.label,
        filter: { column, op: 'between', from: p.from, to: p.to },
      }));
    } else {
      throw new NotUnderstood(
        `"${versus.text}" needs two values of one column or two periods around it.`,
        [versus.text],
      );
    }
    this.use(versus, `${sides[0].label} compared with ${sides[1].label}`);
    for (const side of sides) this.use(side.mention);
    return { groups: sides.map(({ label, filter }) => ({ label, filters: [filter] })) };
  }

  private versusSides(values: ReadonlyArray<Of<'value'>>): [Of<'value'>, Of<'value'>] | null {
    if (this.all('versus').length === 0 || values.length !== 2) return null;
    const [a, b] = values;
    return a.column === b.column ? [a, b] : null;
  }

  private isGroupedColumn(column: string): boolean {
    return this.groupMentions().some((g) => g.kind === 'column' && g.columns.includes(column));
  }

  /** Mentions that name a grouping: after "by"/"per"/"each", after "which", or a bucket word. */
  private groupMentions(): Mention[] {
    const out: Mention[] = [];
    for (const mention of this.mentions) {
      if (mention.kind === 'group') {
        let target = this.next(mention);
        // "by number of cylinders": the count words only say the column holds counts.
        if (target?.kind === 'aggregate' && target.aggregate === 'count') {
          const counted = this.next(target);
          if (counted?.kind === 'column') {
            this.used.add(target);
            target = counted;
          }
        }
        if (target?.kind === 'column' || target?.kind === 'bucket') out.push(target);
        else if (target?.kind === 'rows' && this.timeColumn !== undefined) out.push(target);
      } else if (mention.kind === 'bucket' && !out.includes(mention)) {
        out.push(mention);
      } else if (
        mention.kind === 'column' &&
        this.isWhich(mention) &&
        mention.columns.some((c) => CATEGORY.has(this.type(c)))
      ) {
        out.push(mention);
      }
    }
    return out;
  }

  /** Whether a column follows "which" or "what" directly ("which weather", "what region"). */
  private isWhich(mention: Mention): boolean {
    const before = this.mentions[this.indexOf(mention) - 1];
    return (
      before?.kind === 'filler' &&
      (before.text.toLowerCase() === 'which' || before.text.toLowerCase() === 'what')
    );
  }

  private groups(): QueryDimension[] {
    const out: QueryDimension[] = [];
    for (const mention of this.groupMentions()) {
      if (mention.kind === 'bucket' || mention.kind === 'rows') {
        const bucket = mention.kind === 'bucket' ? mention.bucket : bucketOfRowWord(mention.text);
        if (this.timeColumn === undefined || bucket === undefined)
          throw new NotUnderstood(`"${mention.text}" needs a date column to group by.`, [
            mention.text,
          ]);
        this.use(mention, `grouped by ${bucket} of ${this.timeColumn}`);
        out.push({ column: this.timeColumn, bucket });
      } else if (mention.kind === 'column') {
        const column = this.single(
          mention,
          (c) => !NUMERIC.has(this.type(c)) || this.type(c) === 'integer',
        );
        if (TIME.has(this.type(column))) {
          // "per year" on a `Year` date column: its bucket, not every distinct date.
          const bucket = bucketOfRowWord(mention.text) ?? 'day';
          this.use(mention, `grouped by ${bucket} of ${column}`);
          out.push({ column, bucket });
        } else {
          this.use(mention, `grouped by ${column}`);
          out.push({ column });
        }
      }
    }
    return out;
  }

  /** The one column a mention means among those that pass `fits`; ambiguity is refused. */
  private single(mention: Of<'column'>, fits: (column: string) => boolean = () => true): string {
    const fitting = mention.columns.filter(fits);
    if (fitting.length === 1) return fitting[0];
    throw new NotUnderstood(
      `"${mention.text}" could be ${quoteList(fitting.length > 0 ? fitting : mention.columns, 'or')}.`,
      [mention.text],
    );
  }

  private orderMention(): Of<'order'> | undefined {
    return this.all('order').find((o) => !this.used.has(o));
  }

  /**
   * The measures (aggregates of columns, a count of rows) or, for "the 5 hottest days",
   * the rows themselves.
   */
  private measuresOrRows(
    groupBy: QueryDimension[],
    order: Of<'order'> | undefined,
  ): StructuredQuery {
    const measures: QueryMeasure[] = [];
    const measured = new Set<Mention>();
    for (const aggregate of this.all('aggregate')) {
      if (this.used.has(aggregate)) continue;
      const measure = this.measureOf(aggregate, measured);
      measures.push(...measure);
    }
    const free = this.all('column').filter(
      (c) =>
        !this.used.has(c) && !measured.has(c) && c.columns.some((n) => NUMERIC.has(this.type(n))),
    );
    const hinted = free.find((c) => c.hint !== undefined);
    const direction = order?.direction ?? hinted?.hint;
    if (direction !== undefined && groupBy.length === 0 && measures.length === 0) {
      if (this.asksForRows()) return this.topRows(direction, order, free);
      // "highest MSFT price": no group and no rows asked for, the extreme value itself.
      const target =
        free.find((c) => c.hint !== undefined) ??
        (order !== undefined ? this.next(order, ['filler', 'value']) : undefined);
      if (target?.kind === 'column' && order?.count === undefined) {
        const column = this.single(
          target,
          (c) => NUMERIC.has(this.type(c)) || TIME.has(this.type(c)),
        );
        if (order !== undefined) this.use(order);
        const aggregate = direction === 'asc' ? 'min' : 'max';
        this.use(target, `${aggregate} of ${column}`);
        return { measures: [{ agg: aggregate, column }] };
      }
    }
    for (const column of free) {
      const name = this.single(
        column,
        (c) => NUMERIC.has(this.type(c)) || column.columns.length === 1,
      );
      const aggregate: Aggregate =
        groupBy.length > 0 || order !== undefined || this.all('versus').length > 0
          ? column.qualifier === undefined || column.hint !== undefined
            ? this.defaultAggregate(name)
            : column.qualifier
          : (column.qualifier ?? this.defaultAggregate(name));
      this.use(column, `${aggregate} of ${name}`);
      measures.push({ agg: aggregate, column: name });
    }
    if (measures.length === 0) {
      const counted = this.all('rows').length > 0 && (groupBy.length > 0 || order !== undefined);
      if (!counted) throw new NotUnderstood('The question names nothing to measure or count.', []);
      measures.push({ agg: 'count' });
      this.readings.push('count of rows');
    }
    const query: StructuredQuery = { measures };
    if (groupBy.length > 0) query.groupBy = groupBy;
    if (order !== undefined || (direction !== undefined && groupBy.length > 0)) {
      if (groupBy.length === 0)
        throw new NotUnderstood(
          `"${order?.text ?? 'highest'}" of what? Name a group ("which region") or the rows.`,
          [order?.text ?? ''],
        );
      if (order !== undefined) this.use(order);
      const by = resultName(measures[0]);
      query.orderBy = [{ by, direction: direction ?? 'desc' }];
      query.limit = order?.count ?? DEFAULT_TOP;
      this.readings.push(`${direction === 'asc' ? 'lowest' : 'highest'} ${query.limit} by ${by}`);
    }
    return query;
  }

  private measureOf(aggregate: Of<'aggregate'>, measured: Set<Mention>): QueryMeasure[] {
    this.use(aggregate);
    let target = this.next(aggregate, ['filler']);
    let distinct = false;
    if (target?.kind === 'distinct') {
      this.use(target);
      distinct = true;
      target = this.next(target, ['filler']);
    }
    if (aggregate.aggregate === 'count' || aggregate.aggregate === 'share') {
      if (distinct && target?.kind === 'column') {
        const column = this.single(target);
        measured.add(target);
        this.use(target, `count of distinct ${column}`);
        return [{ agg: 'count_distinct', column }];
      }
      if (
        target?.kind === 'column' &&
        NUMERIC.has(this.type(target.columns[0])) &&
        aggregate.aggregate === 'share'
      ) {
        const column = this.single(target);
        measured.add(target);
        this.use(target, `share of ${column}`);
        return [{ agg: 'share', column }];
      }
      this.readings.push(aggregate.aggregate === 'count' ? 'count of rows' : 'share of rows');
      return [{ agg: aggregate.aggregate }];
    }
    if (target?.kind !== 'column') {
      const before = this.previous(aggregate);
      if (before?.kind !== 'column' || this.used.has(before))
        throw new NotUnderstood(`"${aggregate.text}" of which column?`, [aggregate.text]);
      target = before;
    }
    const names = target.columns.filter(
      (c) => NUMERIC.has(this.type(c)) || ['min', 'max'].includes(aggregate.aggregate),
    );
    if (names.length === 0)
      throw new NotUnderstood(
        `"${target.text}" is not a number to take the ${aggregate.text} of.`,
        [target.text],
      );
    measured.add(target);
    this.use(target, `${aggregate.aggregate} of ${names.join(' and ')}`);
    return names.map((column) => ({ agg: aggregate.aggregate, column }));
  }

  /** Whether "which/what … " asks for rows (days, cars) rather than groups. */
  private asksForRows(): boolean {
    return this.all('rows').length > 0 || this.all('order').some((o) => o.count !== undefined);
  }

  /** "the 5 hottest days": rows ordered by the measure column, with their labels. */
  private topRows(
    direction: 'asc' | 'desc',
    order: Of<'order'> | undefined,
    free: Array<Of<'column'>>,
  ): StructuredQuery {
    const target =
      free.find((c) => c.hint !== undefined) ??
      (order !== undefined ? this.next(order, ['filler', 'rows']) : undefined);
    if (target?.kind !== 'column')
      throw new NotUnderstood(`"${order?.text ?? 'highest'}" of which column?`, [
        order?.text ?? '',
      ]);
    const column = this.single(target, (c) => NUMERIC.has(this.type(c)) || TIME.has(this.type(c)));
    if (order !== undefined) this.use(order);
    const labels = this.labelColumns().filter((c) => c !== column);
    this.use(target, `rows with the ${direction === 'asc' ? 'lowest' : 'highest'} ${column}`);
    return {
      select: [...labels, column],
      orderBy: [{ by: column, direction }],
      limit: order?.count ?? DEFAULT_TOP,
    };
  }

  /** Columns that say which row is which: the time column, and a name-like text column. */
  private labelColumns(): string[] {
    const out: string[] = [];
    if (this.timeColumn !== undefined) out.push(this.timeColumn);
    const name = this.dataset.profile.find(
      (p) =>
        p.type === 'string' &&
        columnParts(p.name).some((w) => ['name', 'title', 'label', 'id'].includes(w)),
    );
    if (name !== undefined) out.push(name.name);
    return out;
  }

  /** Sum what adds up across rows (sales, rain), average anything else (temperature, price). */
  private defaultAggregate(column: string): Aggregate {
    return columnParts(column).some((w) => ADDITIVE_WORDS.has(singular(w))) ? 'sum' : 'avg';
  }
}

const SYMBOLS = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' } as const;

function resultName(measure: QueryMeasure): string {
  return (
    measure.as ?? (measure.column === undefined ? measure.agg : `${measure.agg}_${measure.column}`)
  );
}

function bucketOfRowWord(text: string): QueryDimension['bucket'] {
  const word = singular(text.toLowerCase());
  return (['hour', 'day', 'week', 'month', 'year'] as const).find((b) => b === word);
}

function quoteList(items: readonly string[], joiner = 'and'): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted[quoted.length - 1]}`;
}
