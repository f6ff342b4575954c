import type {
  Aggregate,
  QueryDimension,
  QueryMeasure,
  StructuredQuery,
} from '../query/structured-query';
import { FilterPlanner } from './filter-planner';
import type { PlannerDataset, QuestionPlan } from './plan';
import { CATEGORY, NotUnderstood, NUMERIC, type Of, quoteList, TIME } from './planning-state';
import { ADDITIVE_WORDS } from './question-lexicon';
import { type Mention, readQuestion } from './question-reading';
import { columnParts, singular } from './question-words';

/** Rows listed when a superlative names no count ("the hottest day"). */
const DEFAULT_TOP = 1;

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

class QueryBuilder extends FilterPlanner {
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
    // "the average on rainy days": how many rainy days, too, so the answer can say it.
    const measures = query.measures ?? [];
    const single = query.groupBy === undefined && query.compare === undefined;
    if (
      single &&
      filters.length > 0 &&
      measures.length > 0 &&
      measures.every((m) => m.agg !== 'count')
    )
      query.measures = [{ agg: 'count' }, ...measures];
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

  private groups(): QueryDimension[] {
    const out: QueryDimension[] = [];
    for (const mention of this.groupMentions()) {
      if (mention.kind === 'bucket' || mention.kind === 'rows') {
        const bucket = mention.kind === 'bucket' ? mention.bucket : bucketOfRowWord(mention.text);
        const named = bucket === undefined ? undefined : this.numberColumnNamed(bucket);
        if (this.timeColumn === undefined && named !== undefined) {
          // "per year" in a table that keeps the year as a number.
          this.use(mention, `grouped by ${named}`);
          out.push({ column: named });
          continue;
        }
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
    // "the longest flippers on average": a superlative inside a measured column orders too.
    const hinted = this.all('column').find(
      (c) => c.hint !== undefined && (free.includes(c) || measured.has(c)),
    );
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
    // "highest sales by product": the extreme within each group, not the groups ranked —
    // ranking is asked with "which product", a count ("top 3") or "the most".
    const ranking =
      this.mentions.some((m) => m.kind === 'column' && this.isWhich(m)) ||
      this.all('count').length > 0 ||
      order?.count !== undefined ||
      order?.text === 'most' ||
      order?.text === 'least';
    if (order !== undefined && groupBy.length > 0 && !ranking && measures.length === 0) {
      const target = this.next(order, ['filler', 'value']);
      if (target?.kind === 'column' && free.includes(target)) {
        const column = this.single(
          target,
          (c) => NUMERIC.has(this.type(c)) || TIME.has(this.type(c)),
        );
        const aggregate = order.direction === 'asc' ? 'min' : 'max';
        this.use(order);
        this.use(target, `${aggregate} of ${column} in each group`);
        return { measures: [{ agg: aggregate, column }], groupBy };
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
      // "strikes in 1999", "rainy days by month": the rows named and nothing measured, a count.
      const counted = this.all('rows').length > 0;
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
      query.limit = order?.count ?? this.countAsked() ?? DEFAULT_TOP;
      this.readings.push(`${direction === 'asc' ? 'lowest' : 'highest'} ${query.limit} by ${by}`);
    }
    return query;
  }

  private measureOf(aggregate: Of<'aggregate'>, measured: Set<Mention>): QueryMeasure[] {
    this.use(aggregate);
    // "total nuclear generation": past a value to its column; "how many rainy days": a count
    // reads only the next words, or it would count a column named further on.
    const counting = aggregate.aggregate === 'count' || aggregate.aggregate === 'share';
    let target = this.next(aggregate, counting ? ['filler'] : ['filler', 'rows', 'value']);
    if (target !== undefined && this.used.has(target)) target = undefined;
    let distinct = false;
    if (target?.kind === 'distinct') {
      this.use(target);
      distinct = true;
      target = this.next(target, ['filler']);
    }
    if (aggregate.aggregate === 'count' || aggregate.aggregate === 'share') {
      // "how many countries": the distinct values of a text column, not its rows.
      const things =
        aggregate.aggregate === 'count' &&
        target?.kind === 'column' &&
        target.columns.every((c) => CATEGORY.has(this.type(c))) &&
        !this.isGroupedColumn(target.columns[0]) &&
        this.next(target, ['filler'])?.kind !== 'comparator';
      if ((distinct || things) && target?.kind === 'column') {
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
      const before = this.previous(aggregate, ['filler', 'rows']);
      // "how much rain fell in total", "lowest … on average": a second word for the same measure.
      if (this.all('aggregate').some((a) => a !== aggregate && a.aggregate === aggregate.aggregate))
        return [];
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

  /** "which 3 months": how many the question asks for, its mention used. */
  private countAsked(): number | undefined {
    const count = this.all('count')[0];
    if (count === undefined) return undefined;
    this.use(count);
    return count.value;
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
      limit: order?.count ?? this.countAsked() ?? DEFAULT_TOP,
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

function resultName(measure: QueryMeasure): string {
  return (
    measure.as ?? (measure.column === undefined ? measure.agg : `${measure.agg}_${measure.column}`)
  );
}

function bucketOfRowWord(text: string): QueryDimension['bucket'] {
  const word = singular(text.toLowerCase());
  return (['hour', 'day', 'week', 'month', 'year'] as const).find((b) => b === word);
}
