import type { QueryComparison, QueryDimension, QueryFilter } from '../query/structured-query';
import { CATEGORY, NotUnderstood, NUMERIC, type Of, PlanningState } from './planning-state';
import type { Mention } from './question-mentions';
import { singular } from './question-words';

const TIME_UNITS = new Set(['hour', 'day', 'week', 'month', 'quarter', 'year']);

/** Words before a period that leave one end of it open. */
const OPEN_BOUNDS: Readonly<Record<string, OpenBound>> = {
  since: 'since',
  from: 'since',
  after: 'after',
  before: 'before',
  until: 'until',
};
type OpenBound = 'since' | 'after' | 'before' | 'until';

const SYMBOLS = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' } as const;

/** The filters of a question (values, number comparisons, periods) and its comparison. */
export abstract class FilterPlanner extends PlanningState {
  /** "Dream island", "species Gentoo": the column named beside its own value says nothing more. */
  protected absorbValueColumns(): void {
    // "all countries", "all years and sources": every value, so no filter and no group.
    for (const column of this.all('column')) {
      let k = this.indexOf(column) - 1;
      while (
        k >= 0 &&
        (this.mentions[k].kind === 'column' || this.mentions[k].text.toLowerCase() === 'and')
      )
        k--;
      const before = this.mentions[k];
      const nonNumeric = column.columns.every((c) => !NUMERIC.has(this.type(c)));
      if (before?.text.toLowerCase() === 'all' && nonNumeric) this.use(column);
    }
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

  /**
   * "what share of days were sunny": a share within the rows filtered to sun would be 1, so
   * the filtered column is grouped instead and each value's share comes back, sun's with it.
   */
  protected shareGroups(filters: readonly QueryFilter[]): QueryDimension[] {
    if (!this.all('aggregate').some((a) => a.aggregate === 'share')) return [];
    const columns = filters
      .filter((f) => f.op === 'eq' || f.op === 'in')
      .map((f) => f.column)
      .filter((c) => CATEGORY.has(this.type(c)));
    return [...new Set(columns)].map((column) => ({ column }));
  }

  /** "rainy days", "cars from Japan": equality on a text column; several values: `in`. */
  protected valueFilters(): QueryFilter[] {
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

  /** "more than 10", "at least 3 cylinders": a comparison with the nearest numeric column. */
  protected comparisonFilters(): QueryFilter[] {
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
    // "cluster 3", "cylinders 8": a number right after a column that holds codes or counts.
    for (const number of this.all('number')) {
      if (this.used.has(number)) continue;
      const before = this.mentions[this.indexOf(number) - 1];
      if (before?.kind !== 'column' || this.used.has(before) || before.columns.length !== 1)
        continue;
      const [column] = before.columns;
      if (this.type(column) !== 'integer' && this.type(column) !== 'string') continue;
      this.use(before);
      this.use(number, `${column} = ${number.value}`);
      out.push({
        column,
        op: 'eq',
        value: this.type(column) === 'string' ? String(number.value) : number.value,
      });
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
  protected numericColumnNear(
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
  protected timeFilters(): QueryFilter[] {
    const periods = this.all('period');
    const lasts = this.all('last');
    if (periods.length + lasts.length + this.all('calendar').length === 0) return [];
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
      this.use(second, `from ${first.label} to ${second.label}`);
      out.push(
        ...this.periodFilters({ ...first, to: second.to, label: `${first.label}–${second.label}` }),
      );
    } else if (periods.length === 1) {
      const [period] = periods;
      const bound = OPEN_BOUNDS[this.mentions[this.indexOf(period) - 1]?.text.toLowerCase() ?? ''];
      this.use(period, `${bound === undefined ? 'in' : bound} ${period.label}`);
      out.push(...this.periodFilters(period, bound));
    }
    for (const calendar of this.all('calendar')) {
      const column = this.timeColumnFor(calendar);
      this.use(calendar, `${column} on ${calendar.label}`);
      out.push({ column, op: 'calendar', part: calendar.part, values: calendar.values });
    }
    for (const last of lasts) {
      const column = this.timeColumnFor(last);
      this.use(last, `${column} in the ${last.text} of the data`);
      out.push({ column, op: 'last', amount: last.amount, unit: last.unit });
    }
    return out;
  }

  /**
   * A period as filters: a range of the time column, or — in a table that keeps the year
   * (and month) as numbers — equalities on those columns. `since 2010` and `before 2010`
   * leave one end open.
   */
  protected periodFilters(period: Of<'period'>, bound?: OpenBound): QueryFilter[] {
    if (this.timeColumn !== undefined) {
      const column = this.timeColumn;
      if (bound === 'since') return [{ column, op: 'gte', value: period.from }];
      if (bound === 'after') return [{ column, op: 'gt', value: period.to }];
      if (bound === 'before') return [{ column, op: 'lt', value: period.from }];
      if (bound === 'until') return [{ column, op: 'lte', value: period.to }];
      return [{ column, op: 'between', from: period.from, to: period.to }];
    }
    const year = this.numberColumnNamed('year');
    if (year === undefined) throw this.noTimeColumn(period);
    const [fromYear, fromMonth] = period.from.split('-').map(Number);
    const [toYear, toMonth, toDay] = period.to.split('-').map(Number);
    if (bound === 'since') return [{ column: year, op: 'gte', value: fromYear }];
    if (bound === 'after') return [{ column: year, op: 'gt', value: toYear }];
    if (bound === 'before') return [{ column: year, op: 'lt', value: fromYear }];
    if (bound === 'until') return [{ column: year, op: 'lte', value: toYear }];
    const wholeYears =
      fromMonth === 1 && period.from.endsWith('-01') && toMonth === 12 && toDay === 31;
    if (wholeYears)
      return fromYear === toYear
        ? [{ column: year, op: 'eq', value: fromYear }]
        : [{ column: year, op: 'between', from: fromYear, to: toYear }];
    const month = this.numberColumnNamed('month');
    if (
      month === undefined ||
      fromYear !== toYear ||
      fromMonth !== toMonth ||
      !period.from.endsWith('-01')
    )
      throw this.noTimeColumn(period);
    return [
      { column: year, op: 'eq', value: fromYear },
      { column: month, op: 'eq', value: fromMonth },
    ];
  }

  /** An integer column called `name` (`year`, `month`), for tables without a date column. */
  protected numberColumnNamed(name: string): string | undefined {
    return this.dataset.columns.find((c) => c.name.toLowerCase() === name && c.type === 'integer')
      ?.name;
  }

  private timeColumnFor(mention: Mention): string {
    if (this.timeColumn === undefined) throw this.noTimeColumn(mention);
    return this.timeColumn;
  }

  private noTimeColumn(mention: Mention): NotUnderstood {
    return new NotUnderstood(
      `"${mention.text}" is a period, but the dataset has no date column to read it on.`,
      [mention.text],
    );
  }

  /** Two values of one column, or two periods, set against each other by "vs", "compared with". */
  protected comparison(): QueryComparison | undefined {
    const versus = this.all('versus')[0];
    if (versus === undefined) return undefined;
    const values = this.versusSides(this.all('value'));
    const periods = this.all('period');
    let sides: Array<{ mention: Mention; label: string; filters: QueryFilter[] }>;
    if (values !== null) {
      sides = values.map((v) => ({
        mention: v,
        label: v.value,
        filters: [{ column: v.column, op: 'eq', value: this.valueOf(v.column, v.value) }],
      }));
    } else if (periods.length === 2) {
      sides = periods.map((p) => ({ mention: p, label: p.label, filters: this.periodFilters(p) }));
    } else {
      throw new NotUnderstood(
        `"${versus.text}" needs two values of one column or two periods around it.`,
        [versus.text],
      );
    }
    this.use(versus, `${sides[0].label} compared with ${sides[1].label}`);
    for (const side of sides) this.use(side.mention);
    return { groups: sides.map(({ label, filters }) => ({ label, filters })) };
  }

  protected versusSides(values: ReadonlyArray<Of<'value'>>): [Of<'value'>, Of<'value'>] | null {
    if (this.all('versus').length === 0 || values.length !== 2) return null;
    const [a, b] = values;
    return a.column === b.column ? [a, b] : null;
  }

  protected isGroupedColumn(column: string): boolean {
    return this.groupMentions().some((g) => g.kind === 'column' && g.columns.includes(column));
  }

  /** Mentions that name a grouping: after "by"/"per"/"each", after "which", or a bucket word. */
  protected groupMentions(): Mention[] {
    const out: Mention[] = [];
    for (const mention of this.mentions) {
      if (mention.kind === 'group') {
        // "across all years": over every year at once, not year by year.
        if (this.mentions[this.indexOf(mention) + 1]?.text.toLowerCase() === 'all') continue;
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
      } else if (
        mention.kind === 'count' ||
        (mention.kind === 'order' && mention.count !== undefined)
      ) {
        // "the 2 weather types", "which 3 months", "the 3 most populous countries": the
        // things counted are the groups (past the superlative and its measure).
        const target = this.mentions
          .slice(this.indexOf(mention) + 1, this.indexOf(mention) + 4)
          .find(
            (m) =>
              m.kind === 'bucket' ||
              // "which 3 months" groups by month; "the 3 heaviest cars" lists rows.
              (m.kind === 'rows' && TIME_UNITS.has(singular(m.text.toLowerCase()))) ||
              (m.kind === 'column' && m.columns.some((c) => CATEGORY.has(this.type(c)))),
          );
        if (target !== undefined && !out.includes(target)) out.push(target);
      }
    }
    return out;
  }

  /** Whether a column follows "which" or "what" directly ("which weather", "what region"). */
  protected isWhich(mention: Mention): boolean {
    const before = this.mentions[this.indexOf(mention) - 1];
    return (
      before?.kind === 'filler' &&
      (before.text.toLowerCase() === 'which' || before.text.toLowerCase() === 'what')
    );
  }
}
