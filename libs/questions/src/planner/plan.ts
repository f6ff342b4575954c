import type { ColumnProfile, DatasetColumn } from '@app/datasets';
import type { StructuredQuery } from '../query/structured-query';

/** What the planner reads of a dataset: its columns, their profiles, and known values. */
export interface PlannerDataset {
  name: string;
  columns: ReadonlyArray<Pick<DatasetColumn, 'name' | 'type'>>;
  profile: ReadonlyArray<
    Pick<ColumnProfile, 'name' | 'type' | 'distinctCount' | 'min' | 'max' | 'topValues'>
  >;
  /**
   * Every distinct value of the text columns with few of them (read with a query before
   * planning), so "rainy days" can find `weather = 'rain'` beyond the profile's top values.
   */
  values?: ReadonlyMap<string, readonly string[]>;
}

/** A question the planner could turn into a query, and how it read it. */
export interface PlannedQuestion {
  kind: 'planned';
  query: StructuredQuery;
  /** 0..1: every content word understood and nothing ambiguous is 1. */
  confidence: number;
  /** How each part of the question was read, for the answer and for people ("rainy" → weather = rain). */
  readings: string[];
}

/** A question the planner will not guess at: the words it did not understand, and why. */
export interface RefusedQuestion {
  kind: 'refused';
  reason: string;
  /** Words or phrases of the question it could not place. */
  notUnderstood: string[];
  /** The dataset's columns, to show what can be asked about. */
  columns: string[];
}

export type QuestionPlan = PlannedQuestion | RefusedQuestion;
