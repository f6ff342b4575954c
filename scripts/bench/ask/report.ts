/**
 * What `npm run bench -- ask` prints of the evaluation set: shares by kind and by dataset,
 * the targets, the wrong answers and the refusals.
 */
import { type AskQuestion, type Cell, type Outcome, QUESTION_KINDS, type Verdict } from './scoring';
import { heading, printTable, verdict } from '../quality/table';

const TARGET_CORRECT = 0.8;
const TARGET_WRONG = 0.03;

/** The parts of a question's answer the bench reads (docs/api.md, "Questions"). */
export interface QuestionAnswer {
  query?: unknown;
  result?: { columns?: Array<{ name: string; type: string }>; rows: Cell[][] } | null;
  detail?: string;
  title?: string;
}

export interface Asked {
  status: number;
  body: QuestionAnswer;
  ms: number;
}

export interface Scored {
  question: AskQuestion;
  asked: Asked;
  verdict: Verdict;
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

const share = (part: number, whole: number) =>
  whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`;
export const ms = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(0));

function count(scored: readonly Scored[], outcome: Outcome): number {
  return scored.filter((s) => s.verdict.outcome === outcome).length;
}

function shareRow(label: string, scored: readonly Scored[]): string[] {
  return [
    label,
    String(scored.length),
    share(count(scored, 'correct'), scored.length),
    share(count(scored, 'refused'), scored.length),
    share(count(scored, 'wrong'), scored.length),
  ];
}

export const clip = (text: string, length: number) =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;

export function printEvaluation(scored: readonly Scored[]): void {
  const answerable = scored.filter((s) => s.question.expected !== null);
  const unanswerable = scored.filter((s) => s.question.expected === null);
  const header = ['', 'questions', 'correct', 'refused', 'wrong'];

  heading('ask: answerable questions by kind');
  printTable(header, [
    ...QUESTION_KINDS.map((kind) =>
      shareRow(
        kind,
        answerable.filter((s) => s.question.kind === kind),
      ),
    ),
    shareRow('unanswerable (422 is correct)', unanswerable),
    shareRow('all', scored),
  ]);

  heading('ask: by dataset (all questions)');
  const datasets = [...new Set(scored.map((s) => s.question.dataset))];
  printTable(
    header,
    datasets.map((name) =>
      shareRow(
        name,
        scored.filter((s) => s.question.dataset === name),
      ),
    ),
  );

  const correct = count(scored, 'correct') / scored.length;
  const wrong = count(scored, 'wrong') / scored.length;
  const times = scored.map((s) => s.asked.ms);
  heading('ask: targets (builtin planner)');
  console.log(
    `correct ${share(count(scored, 'correct'), scored.length)} (target ≥ ${TARGET_CORRECT * 100} %): ${verdict(correct >= TARGET_CORRECT)}`,
  );
  console.log(
    `wrong   ${share(count(scored, 'wrong'), scored.length)} (target ≤ ${TARGET_WRONG * 100} %): ${verdict(wrong <= TARGET_WRONG)}`,
  );
  console.log(`refused ${share(count(scored, 'refused'), scored.length)} (the rest)`);
  console.log(
    `HTTP round trip over the evaluation set (small tables): p50 ${ms(percentile(times, 0.5))} ms, p95 ${ms(percentile(times, 0.95))} ms`,
  );

  const wrongOnes = scored.filter((s) => s.verdict.outcome === 'wrong');
  heading(`ask: wrong answers (${wrongOnes.length})`);
  for (const { question, asked, verdict: v } of wrongOnes) {
    console.log(`${question.id} [${question.kind}] "${question.question}" — ${v.reason}`);
    if (asked.body.query !== undefined)
      console.log(`  query:    ${clip(JSON.stringify(asked.body.query), 400)}`);
    if (asked.body.result)
      console.log(`  result:   ${clip(JSON.stringify(asked.body.result.rows.slice(0, 8)), 400)}`);
    else if (asked.status !== 200) console.log(`  problem:  ${clip(asked.body.detail ?? '', 300)}`);
    console.log(
      `  expected: ${question.expected === null ? 'a refusal (422)' : clip(JSON.stringify(question.expected.rows), 400)}`,
    );
  }
  const refused = scored.filter((s) => s.verdict.outcome === 'refused');
  heading(`ask: refused answerable questions (${refused.length})`);
  for (const { question, asked } of refused) {
    console.log(`${question.id} "${question.question}" — ${clip(asked.body.detail ?? '', 160)}`);
  }
}
