import type { AnalysisContext } from '../orchestration/analysis-context';
import { textSample } from '../agents/text-agent';
import { proseColumns } from '../text/prose-columns';
import { injectionExcerpt, injectionPattern } from '@app/common';

/** Longest brief (the run input, serialized) a model is given, in characters. */
export const MAX_MODEL_INPUT_CHARACTERS = 120_000;
/** Cells reported per analysis (the first ones found, column by column). */
const MAX_CELL_FINDINGS = 20;
/**
 * Most characters of one value (the question, the free text, a column name) the screen reads:
 * a longer value is not read at all, and every agent whose model would read it is refused.
 */
export const MAX_SCREENED_VALUE_CHARACTERS = MAX_MODEL_INPUT_CHARACTERS;
/** Most characters of column names the screen reads in all (the rest: refused as above). */
export const MAX_SCREENED_NAME_CHARACTERS = 1_000_000;

/**
 * What each agent's model reads of the user's input, beyond numbers:
 * - `question`: the question (every agent's brief carries it; the summary reads only that);
 * - `dataset`: that, and the column names (they are in the dataset tools' schemas and outputs);
 * - `text`: that, the free text and the sampled cells of text columns (the text tools' input).
 */
export type ScreeningScope = 'question' | 'dataset' | 'text';

export interface InjectionFinding {
  source: 'question' | 'text' | 'column-name' | 'cell';
  /** Which pattern matched (INJECTION_PATTERNS). */
  pattern: string;
  /** 1-based position of the column (a name or a cell). */
  columnPosition?: number;
  /** The column's name, for a cell of a column whose name is itself clean. */
  column?: string;
  /** 1-based row of the cell, in file order. */
  row?: number;
  /** Where it matched, for the user: stored in the result, never shown to a model. */
  excerpt: string;
}

/**
 * Screens the input of one analysis for prompt injection and size, once, before any model
 * reads it: the question, free text and column names at once (they are small), the text
 * cells on first need (one bounded query per text column: the same first
 * values the text tools read ({@link textSample}); cells no tool reads never reach a
 * model). Shared by every agent's input guardrail.
 */
export class InputScreening {
  private readonly upfront: InjectionFinding[] = [];
  /** Values too long to screen: the agents that would read them are refused. */
  private readonly unread: Array<Pick<InjectionFinding, 'source' | 'columnPosition'>> = [];
  private cells: Promise<InjectionFinding[]> | undefined;

  constructor(
    brief: Record<string, unknown>,
    private readonly context: AnalysisContext | undefined,
  ) {
    if (typeof brief.question === 'string') this.screen('question', brief.question);
    if (typeof brief.text === 'string') this.screen('text', brief.text);
    let names = 0;
    for (const [index, column] of (context?.dataset.columns ?? []).entries()) {
      if (column.name.length <= MAX_SCREENED_VALUE_CHARACTERS) names += column.name.length;
      if (names > MAX_SCREENED_NAME_CHARACTERS) {
        this.unread.push({ source: 'column-name', columnPosition: index + 1 });
      } else this.screen('column-name', column.name, { columnPosition: index + 1 });
    }
  }

  /** Why an agent reading `scope` must not run, or undefined when it may. */
  async refusal(scope: ScreeningScope, input: string): Promise<string | undefined> {
    if (input.length > MAX_MODEL_INPUT_CHARACTERS) {
      return `the input is ${input.length} characters; a model is given at most ${MAX_MODEL_INPUT_CHARACTERS}`;
    }
    const unread = this.unread.filter((value) => inScope(value, scope));
    if (unread.length > 0) {
      return `${where(unread[0])} is too long to screen for prompt injection (at most ${MAX_SCREENED_VALUE_CHARACTERS} characters a value, ${MAX_SCREENED_NAME_CHARACTERS} of column names in all); not given to the model`;
    }
    const found = await this.findings(scope);
    if (found.length === 0) return undefined;
    const more = found.length > 1 ? ` and ${found.length - 1} more` : '';
    return `possible prompt injection (${found[0]?.pattern}) in ${where(found[0])}${more}; reported, not given to the model`;
  }

  /** Everything found so far, for the result (cells only if a text agent asked for them). */
  async reported(): Promise<InjectionFinding[]> {
    return [...this.upfront, ...((await this.cells?.catch(() => [])) ?? [])];
  }

  private async findings(scope: ScreeningScope): Promise<InjectionFinding[]> {
    const upfront = this.upfront.filter((finding) => inScope(finding, scope));
    if (scope !== 'text' || this.context === undefined) return upfront;
    this.cells ??= this.screenCells(this.context);
    return [...upfront, ...(await this.cells)];
  }

  private screen(
    source: InjectionFinding['source'],
    text: string,
    at: Partial<InjectionFinding> = {},
  ): boolean {
    if (text.length > MAX_SCREENED_VALUE_CHARACTERS) {
      this.unread.push({ source, ...at });
      return false;
    }
    const pattern = injectionPattern(text);
    if (pattern !== undefined) {
      this.upfront.push({ source, pattern, ...at, excerpt: injectionExcerpt(text) });
    }
    return pattern !== undefined;
  }

  private async screenCells(context: AnalysisContext): Promise<InjectionFinding[]> {
    const found: InjectionFinding[] = [];
    const prose = new Set(proseColumns(context.dataset));
    const columns = context.dataset.columns
      .map((column, index) => ({ ...column, position: index + 1 }))
      .filter((column) => prose.has(column.name));
    for (const column of columns) {
      const sample = await textSample(context, column.column);
      const cleanName = injectionPattern(column.name) === undefined;
      for (const { at, value } of sample) {
        const pattern = injectionPattern(value);
        if (pattern === undefined) continue;
        // Rows are numbered in file order, which is storage order (COPY appends).
        const row = await context.scans.rowAt(context.organizationId, context.dataset, at);
        found.push({
          source: 'cell',
          pattern,
          columnPosition: column.position,
          ...(cleanName ? { column: column.name } : {}),
          row,
          excerpt: injectionExcerpt(value),
        });
        if (found.length >= MAX_CELL_FINDINGS) return found;
      }
    }
    return found;
  }
}

/** Whether an agent reading `scope` reads the value a finding is about. */
function inScope(finding: Pick<InjectionFinding, 'source'>, scope: ScreeningScope): boolean {
  switch (finding.source) {
    case 'question':
      return true;
    case 'column-name':
      return scope !== 'question';
    case 'text':
    case 'cell':
      return scope === 'text';
  }
}

/** Where a finding is, in words a model may read (a column's name only if it is clean). */
export function where(
  finding: Pick<InjectionFinding, 'source' | 'columnPosition' | 'column' | 'row'> | undefined,
): string {
  switch (finding?.source) {
    case 'question':
      return 'the question';
    case 'text':
      return 'the free text';
    case 'column-name':
      return `the name of column ${finding.columnPosition}`;
    case 'cell':
      return `row ${finding.row} of ${finding.column ?? `column ${finding.columnPosition}`}`;
    case undefined:
      return 'the input';
  }
}
