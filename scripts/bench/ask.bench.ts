/**
 * `npm run bench -- ask [--questions=<path>] [--skip-latency] [--rows=<n>] [--per-kind=<n>]
 * [--work-mem-mb=<n>]`:
 * how well `POST /v1/datasets/:id/questions` answers questions people ask, and how fast.
 *   1. starts the built API as its own process (production mode, a scratch or embedded
 *      database) and uploads every dataset of the evaluation set over HTTP
 *      (bench/data/ask/<dataset>.csv, beside questions.json);
 *   2. asks every question and scores the answer against the expected rows computed by
 *      bench/data/ask/answers.py (scripts/bench/ask/scoring.ts): correct, refused (422) or
 *      wrong — an answer to a question the data cannot answer is wrong;
 *   3. unless --skip-latency, uploads a generated dataset of 1,000,000 rows and asks
 *      `--per-kind` (20) questions of each kind, timing the HTTP round trip beside the same
 *      aggregate written by hand in SQL and run through `pg`, both with `--work-mem-mb`
 *      (64, the default of `QUESTIONS_WORK_MEM_MB`) as their `work_mem`;
 * and prints the shares by kind and by dataset, the targets (≥ 80 % correct, ≤ 3 % wrong,
 * p95 ≤ 500 ms) with PASS/FAIL, and every wrong answer. Until the endpoint exists it says
 * "endpoint missing" and exits 1.
 */
import { generateApiKey } from '@app/auth';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { comparisonRows, generateLatencyCsv, latencyQuestions } from './ask/latency';
import {
  type AskQuestion,
  type Cell,
  type Outcome,
  QUESTION_KINDS,
  scoreAnswer,
} from './ask/scoring';
import {
  ensureApiBuilt,
  openBenchDatabase,
  startApiService,
  type ApiService,
} from './bench-service';
import { upload } from './ingest.bench';
import {
  type Asked,
  clip,
  ms,
  percentile,
  printEvaluation,
  type QuestionAnswer,
  type Scored,
} from './ask/report';
import { heading, printTable, verdict } from './quality/table';

const DEFAULT_QUESTIONS = join(__dirname, '..', '..', 'bench', 'data', 'ask', 'questions.json');
const TARGET_P95_MS = 500;
const MB = 1024 * 1024;

interface DatasetAnswer {
  id: string;
  rowCount: number;
  columns: Array<{ name: string; column: string; type: string }>;
}

class EndpointMissing extends Error {}

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : (arg.split('=')[1] ?? '');
}

function option(name: string, fallback: number): number {
  const value = flag(name);
  return value === undefined ? fallback : Number(value);
}

async function uploadSmall(port: number, key: string, name: string, file: string) {
  const response = await fetch(
    `http://127.0.0.1:${port}/v1/datasets?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'text/csv' },
      body: readFileSync(file),
    },
  );
  const text = await response.text();
  if (response.status !== 201) throw new Error(`upload of ${name}: ${response.status} ${text}`);
  return JSON.parse(text) as DatasetAnswer;
}

async function ask(port: number, key: string, datasetId: string, question: string): Promise<Asked> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/v1/datasets/${datasetId}/questions`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: QuestionAnswer;
  try {
    body = JSON.parse(text) as QuestionAnswer;
  } catch {
    body = { detail: text.slice(0, 200) };
  }
  return { status: response.status, body, ms };
}

/**
 * The route is missing, not the dataset, when a dataset that was just uploaded answers
 * its own GET but a question about it is a 404.
 */
async function assertEndpointExists(port: number, key: string, datasetId: string, first: Asked) {
  if (first.status !== 404) return;
  const dataset = await fetch(`http://127.0.0.1:${port}/v1/datasets/${datasetId}`, {
    headers: { 'x-api-key': key },
  });
  if (dataset.status === 200) {
    throw new EndpointMissing(
      `POST /v1/datasets/:id/questions answered 404 (${first.body.detail ?? first.body.title ?? 'no detail'}) ` +
        'for a dataset that exists: the endpoint is not in this build',
    );
  }
}

async function runEvaluation(
  service: ApiService,
  key: string,
  questions: readonly AskQuestion[],
  dataDir: string,
): Promise<void> {
  const datasets = new Map<string, DatasetAnswer>();
  for (const name of new Set(questions.map((q) => q.dataset))) {
    const dataset = await uploadSmall(service.port, key, name, join(dataDir, `${name}.csv`));
    datasets.set(name, dataset);
    console.log(
      `ask: ${name}: ${dataset.rowCount.toLocaleString('en')} rows; ` +
        dataset.columns.map((c) => `${c.name}:${c.type}`).join(', '),
    );
  }
  console.log(
    `ask: ${questions.length} questions over ${datasets.size} datasets ` +
      `(${questions.filter((q) => q.expected !== null).length} answerable, ` +
      `${questions.filter((q) => q.expected === null).length} to be refused)`,
  );
  const scored: Scored[] = [];
  for (const question of questions) {
    const dataset = datasets.get(question.dataset);
    if (dataset === undefined) throw new Error(`no dataset ${question.dataset}`);
    const asked = await ask(service.port, key, dataset.id, question.question);
    if (scored.length === 0) await assertEndpointExists(service.port, key, dataset.id, asked);
    scored.push({
      question,
      asked,
      verdict: scoreAnswer(question, { status: asked.status, result: asked.body.result }),
    });
  }
  printEvaluation(scored);
}

/** The service's `QUESTIONS_WORK_MEM_MB` and the hand-written SQL's `work_mem`, alike. */
const WORK_MEM_MB = option('work-mem-mb', 64);

/** pg gives numeric and bigint as text: those become numbers, labels stay text. */
const NUMERIC_TYPE_IDS = new Set([20, 21, 23, 700, 701, 1700]);

async function runLatency(
  service: ApiService,
  key: string,
  databaseUrl: string,
  workDir: string,
): Promise<void> {
  const rows = option('rows', 1_000_000);
  const perKind = option('per-kind', 20);
  const file = join(workDir, 'latency.csv');
  process.stdout.write(`\nask: generating ${rows.toLocaleString('en')} rows... `);
  await generateLatencyCsv(file, rows);
  console.log(`${(statSync(file).size / MB).toFixed(0)} MB`);
  const uploaded = await upload(service.port, key, file);
  if (uploaded.status !== 201)
    throw new Error(`upload answered ${uploaded.status}: ${uploaded.body}`);
  const dataset = JSON.parse(uploaded.body) as DatasetAnswer;

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The questions' time buckets are UTC; so is the hand-written SQL's date_trunc.
    await client.query(`SET TIME ZONE 'UTC'`);
    // The floor is measured with the memory the service gives a question's sorts.
    await client.query(`SET work_mem = '${WORK_MEM_MB}MB'`);
    const { rows: found } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM datasets WHERE id = $1',
      [dataset.id],
    );
    const table = `dataset_rows."${found[0]?.table_name ?? ''}"`;
    const identifiers = new Map(dataset.columns.map((c) => [c.name, `"${c.column}"`]));
    const col = (name: string) => identifiers.get(name) ?? `"${name}"`;

    const questions = latencyQuestions(perKind);
    // One question and one query first, not counted: the first of each pays for warm-up.
    await ask(service.port, key, dataset.id, questions[0]?.question ?? 'how many rows?');
    await client.query(questions[0]?.sql(table, col) ?? 'SELECT 1');

    const results: Array<{
      kind: string;
      question: string;
      http: number;
      sql: number;
      outcome: Outcome;
      got: Cell[][] | undefined;
      expected: Cell[][];
    }> = [];
    for (const question of questions) {
      const asked = await ask(service.port, key, dataset.id, question.question);
      const started = performance.now();
      const answer = await client.query({ text: question.sql(table, col), rowMode: 'array' });
      const sqlMs = performance.now() - started;
      const expected = answer.rows.map((row: unknown[]) =>
        row.map((value, c) =>
          NUMERIC_TYPE_IDS.has(answer.fields[c]?.dataTypeID ?? 0) && value !== null
            ? Number(value)
            : (value as Cell),
        ),
      );
      const expectedRows =
        question.kind === 'comparison'
          ? comparisonRows(question.question, expected[0] ?? [])
          : expected;
      const outcome = scoreAnswer(
        {
          id: '',
          dataset: 'latency',
          kind: question.kind,
          question: question.question,
          expected: { rows: expectedRows as Cell[][] },
        },
        { status: asked.status, result: asked.body.result },
      ).outcome;
      results.push({
        kind: question.kind,
        question: question.question,
        http: asked.ms,
        sql: sqlMs,
        outcome,
        got: asked.body.result?.rows,
        expected: expectedRows as Cell[][],
      });
    }

    heading(
      `ask: latency on ${dataset.rowCount.toLocaleString('en')} rows (ms; SQL = the same aggregate by hand through pg)`,
    );
    const p50p95 = (values: number[]) => [
      ms(percentile(values, 0.5)),
      ms(percentile(values, 0.95)),
    ];
    const row = (label: string, part: typeof results) => [
      label,
      String(part.length),
      `${part.filter((r) => r.outcome === 'correct').length}/${part.length}`,
      ...p50p95(part.map((r) => r.http)),
      ...p50p95(part.map((r) => r.sql)),
    ];
    printTable(
      ['kind', 'questions', 'correct', 'HTTP p50', 'HTTP p95', 'SQL p50', 'SQL p95'],
      [
        ...QUESTION_KINDS.map((kind) =>
          row(
            kind,
            results.filter((r) => r.kind === kind),
          ),
        ),
        row('all', results),
      ],
    );
    const p95 = percentile(
      results.map((r) => r.http),
      0.95,
    );
    const correct = results.filter((r) => r.outcome === 'correct').length;
    // A refusal is fast: the p95 means little until most of these questions are answered.
    console.log(
      `HTTP p95 ${ms(p95)} ms (target ≤ ${TARGET_P95_MS} ms): ${verdict(p95 <= TARGET_P95_MS)}` +
        ` — ${correct}/${results.length} of these questions answered correctly`,
    );
    console.log('slowest by hand-written SQL (ms):');
    for (const r of [...results].sort((a, b) => b.sql - a.sql).slice(0, 5)) {
      console.log(`  SQL ${ms(r.sql)}, HTTP ${ms(r.http)}  [${r.kind}] "${r.question}"`);
    }
    // Two wrong answers of each kind at most: enough to see what the planner made of them.
    const wrong = QUESTION_KINDS.flatMap((kind) =>
      results.filter((r) => r.kind === kind && r.outcome === 'wrong').slice(0, 2),
    );
    for (const r of wrong) {
      console.log(`wrong [${r.kind}] "${r.question}"`);
      console.log(`  result:   ${clip(JSON.stringify(r.got?.slice(0, 8) ?? null), 300)}`);
      console.log(`  expected: ${clip(JSON.stringify(r.expected.slice(0, 8)), 300)}`);
    }
  } finally {
    await client.end();
  }
}

export async function runAskBenchmark(): Promise<void> {
  const questionsPath = flag('questions') ?? DEFAULT_QUESTIONS;
  const questions = JSON.parse(readFileSync(questionsPath, 'utf8')) as AskQuestion[];
  ensureApiBuilt('ask');
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-ask-'));
  const database = await openBenchDatabase(workDir);
  let service: ApiService | undefined;
  try {
    const key = generateApiKey().key;
    // Hundreds of questions in a minute: the expensive class's limit (30 a minute) would
    // answer most of them 429, which measures the limiter, not the answers.
    service = await startApiService(database.url, workDir, key, {
      RATE_LIMIT_EXPENSIVE_LIMIT: '1000000',
      QUESTIONS_WORK_MEM_MB: String(WORK_MEM_MB),
    });
    await runEvaluation(service, key, questions, dirname(questionsPath));
    if (flag('skip-latency') === undefined) await runLatency(service, key, database.url, workDir);
  } catch (error) {
    if (!(error instanceof EndpointMissing)) throw error;
    console.error(`ask: endpoint missing — ${error.message}. Nothing was scored.`);
    process.exitCode = 1;
  } finally {
    await service?.stop();
    await database.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
