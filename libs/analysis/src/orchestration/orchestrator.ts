import { Logger } from '@nestjs/common';
import { type Agent, type Runner, withTrace } from '@openai/agents';
import type { PassageClassifier } from '@app/models';
import { type AnalysisContext, withBoundedProfile } from './analysis-context';
import {
  type AnalysisErrorCode,
  type AnalysisFailure,
  describeFailure,
  failureDetail,
} from './analysis-errors';
import type { MetricGroup } from '../tools/metric-group';
import { recordMetricTool, ToolLedger } from '../tools/record-metric';
import { inputScreeningGuardrail, numbersFromToolsGuardrail } from '../guardrails/guardrails';
import {
  type InjectionFinding,
  InputScreening,
  type ScreeningScope,
} from '../guardrails/input-screening';
import {
  type AnalysisAnswer,
  type AnswerMiss,
  answerStep,
  type QuestionAnswerer,
} from '../planning/question-answer';
import {
  focusColumnsOf,
  focusRuns,
  questionFocus,
  type QuestionFocus,
} from '../planning/question-focus';
import { anomaliesAgent } from '../agents/anomalies-agent';
import { profileAgent } from '../agents/profile-agent';
import { segmentsAgent } from '../agents/segments-agent';
import { summaryAgent, type SummaryContext, type SummaryOutput } from '../agents/summary-agent';
import type { SpecialistResults } from '../agents/summary-inputs';
import { textAgent } from '../agents/text-agent';
import { proseColumns } from '../text/prose-columns';
import { trendsAgent } from '../agents/trends-agent';

// The specialists differ in context and output types; Runner.run itself takes Agent<any, any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAgent = Agent<any, any>;

/** The SDK the agents run on (a test checks it against package.json). */
export const AGENTS_SDK_VERSION = '0.20.0';

export type SpecialistName = 'profile' | 'trends' | 'anomalies' | 'text' | 'segments';
export type AgentName = SpecialistName | 'summary';

export interface AgentRun {
  agent: AgentName;
  status: 'succeeded' | 'failed';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  usage: { requests: number; inputTokens: number; outputTokens: number; totalTokens: number };
  /** Why it failed, in a sentence (timeout, cancellation, a guardrail, a model call). */
  error?: string;
  /** Why it failed, as a code (docs/analyses.md). */
  errorCode?: AnalysisErrorCode;
}

const logger = new Logger('Analysis');

export interface AnalysisOutcome {
  agents: AgentRun[];
  results: SpecialistResults;
  summary: SummaryOutput | undefined;
  /** Prompt-injection text the input guardrails found (and kept from every model). */
  injections: InjectionFinding[];
  /** Metrics the agents recorded with `record_metric` (an LLM's choice; builtin records none). */
  recorded: MetricGroup[];
  /** What the question named (columns, specialists); absent without a question or dataset. */
  focus?: QuestionFocus;
  /** The question answered by a query (planning/question-answer.ts); absent when it was not. */
  answer?: AnalysisAnswer;
}

/** What happens during a run, for progress events (SSE later). */
export type AnalysisEvent =
  { type: 'agent.started'; agent: AgentName } | { type: 'agent.finished'; run: AgentRun };

export interface AnalysisRequest {
  runner: Runner;
  /** The model name every agent is given explicitly (see STACK.md). */
  model: string;
  /** The brief: what the planner (or LLM) reads as the run input. */
  brief: Record<string, unknown>;
  /** Present for dataset and records input; absent for free text. */
  context: AnalysisContext | undefined;
  /** Each agent's own time limit; the whole analysis is bounded by `signal`. */
  agentTimeoutMs: number;
  /** The agents to run (API `agents`); default all that apply. `summary` runs only if listed. */
  agents?: readonly AgentName[];
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
  /** The analysis' id: its agents' runs share one trace, grouped by it. */
  analysisId?: string;
  /** W3C trace context the analysis' trace continues (the request that queued it). */
  traceContext?: Record<string, string>;
  /** Labels text passages with the configured language model; absent for the builtin model. */
  classifier?: PassageClassifier;
  /** Answers a dataset's question with a structured query; without it, no answer step runs. */
  answerQuestion?: QuestionAnswerer;
}

/**
 * Runs the specialists in parallel (`Promise.all` of SDK runs on one runner), then the
 * summary over their results. A specialist that fails or times out is recorded as
 * failed with its reason and the others go on; the summary says what is missing.
 * Cancelling `signal` aborts every run in flight.
 *
 * Guardrails: each agent's input is screened first (not in parallel with its model) for
 * what that agent's model would read: the question for all, column names for the dataset
 * specialists, free text and text cells for `text`. A tripped agent fails without its model
 * being called, and the findings are reported in the outcome. Every agent's output must
 * show only numbers the run's tools returned (else it fails, and nothing it recorded is kept).
 */
export function runAnalysis(request: AnalysisRequest): Promise<AnalysisOutcome> {
  // One trace for the whole analysis: each runner.run inside joins it instead of opening its own.
  return withTrace('Sightline analysis', () => runAgents(request), {
    ...(request.analysisId === undefined ? {} : { groupId: request.analysisId }),
    metadata: {
      ...(request.analysisId === undefined ? {} : { analysisId: request.analysisId }),
      // Flat strings: trace metadata is a string map to OpenAI's exporter, when it is on.
      ...request.traceContext,
    },
  });
}

async function runAgents(request: AnalysisRequest): Promise<AnalysisOutcome> {
  // A context object of this run's own: the trends and anomalies specialists share the
  // analysis of each column's series through it (agents/series-findings.ts); its profile's
  // top values are bounded, whatever the cells hold.
  const context = request.context === undefined ? undefined : withBoundedProfile(request.context);
  const dataset = context?.dataset;
  const screening = new InputScreening(request.brief, context);
  const ledger = new ToolLedger(dataset?.id);
  // Each specialist: screened input, `record_metric`, and its tool outputs kept in the ledger
  // (record_metric checks a value against the output of the call it names).
  const guarded = (name: SpecialistName, agent: AnyAgent, scope: ScreeningScope): AnyAgent => {
    const specialist = agent.clone({
      inputGuardrails: [inputScreeningGuardrail(screening, scope)],
      outputGuardrails: [numbersFromToolsGuardrail()],
      tools: [...agent.tools, recordMetricTool(ledger, name)],
    });
    specialist.on('agent_tool_end', (_context, _tool, result, { toolCall }) => {
      if (toolCall.type === 'function_call') ledger.remember(toolCall.callId, result);
    });
    return specialist;
  };
  const specialists: Array<[SpecialistName, AnyAgent]> = [];
  if (dataset !== undefined) {
    specialists.push(
      ['profile', guarded('profile', profileAgent(request.model), 'dataset')],
      ['trends', guarded('trends', trendsAgent(request.model, dataset), 'dataset')],
      ['anomalies', guarded('anomalies', anomaliesAgent(request.model, dataset), 'dataset')],
      ['segments', guarded('segments', segmentsAgent(request.model, dataset), 'dataset')],
    );
  }
  const hasText =
    typeof request.brief.text === 'string' ||
    (dataset !== undefined && proseColumns(dataset).length > 0);
  if (hasText) {
    const text = textAgent(request.model, dataset, request.classifier);
    specialists.push(['text', guarded('text', text, 'text')]);
  }

  // The question steers (planning/question-focus.ts): the focus rides in the specialists'
  // brief, where the builtin planner narrows its column enums to it and a model reads it
  // beside the question; a narrow question also leaves out the specialists it does not name.
  const focus =
    dataset === undefined || typeof request.brief.question !== 'string'
      ? undefined
      : questionFocus(request.brief.question, focusColumnsOf(dataset));
  const brief =
    focus === undefined || (focus.columns.length === 0 && focus.specialists.length === 0)
      ? request.brief
      : { ...request.brief, focus: { columns: focus.columns, specialists: focus.specialists } };
  const wanted = (name: AgentName) =>
    request.agents === undefined ? focusRuns(focus, name) : request.agents.includes(name);
  // The answer step runs beside the specialists: not an agent (the questions planner makes
  // no model call), so it is not in `agents`; without an answer the analysis goes on as before.
  const question = typeof request.brief.question === 'string' ? request.brief.question : undefined;
  const answering =
    dataset === undefined || question === undefined || request.answerQuestion === undefined
      ? Promise.resolve(undefined)
      : answerStep(request.answerQuestion, question, stepSignal(request), (miss) =>
          logAnswerMiss(request, miss),
        );
  const results: SpecialistResults = { failed: [] };
  const runs = await Promise.all(
    specialists
      .filter(([name]) => wanted(name))
      .map(async ([name, agent]) => {
        const { run, output } = await runAgent(request, name, agent, context, brief);
        if (output !== undefined) Object.assign(results, { [name]: output });
        else results.failed.push({ agent: name, reason: run.error ?? 'failed' });
        return run;
      }),
  );
  // What a model recorded is kept only from an agent that succeeded (passed its guardrails).
  const succeeded = new Set(runs.filter((run) => run.status === 'succeeded').map((r) => r.agent));
  const recorded = ledger.recorded().filter((group) => succeeded.has(group.agent as AgentName));
  const answer = await answering;
  if (!wanted('summary')) {
    return {
      agents: runs,
      results,
      summary: undefined,
      injections: await screening.reported(),
      recorded,
      ...(focus === undefined ? {} : { focus }),
      ...(answer === undefined ? {} : { answer }),
    };
  }
  // The summary reads the specialists' results, not the free text.
  const { text: _text, ...summaryBrief } = request.brief;
  const summary = await runAgent(
    request,
    'summary',
    summaryAgent(request.model).clone({
      inputGuardrails: [inputScreeningGuardrail(screening, 'question')],
      outputGuardrails: [numbersFromToolsGuardrail<typeof SummaryOutput>()],
    }),
    {
      results,
      asked: asked(request.brief, focus, dataset),
      ...(answer === undefined ? {} : { answer }),
    } satisfies SummaryContext as unknown as AnalysisContext,
    summaryBrief,
  );
  return {
    agents: [...runs, summary.run],
    results,
    summary: summary.output as SummaryOutput | undefined,
    injections: await screening.reported(),
    recorded,
    ...(focus === undefined ? {} : { focus }),
    ...(answer === undefined ? {} : { answer }),
  };
}

/** An agent's time limit and the analysis's own: the answer step is held to both as well. */
function stepSignal(request: AnalysisRequest): AbortSignal {
  const timeout = AbortSignal.timeout(request.agentTimeoutMs);
  return request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
}

function logAnswerMiss(request: AnalysisRequest, miss: AnswerMiss): void {
  const id = request.analysisId ?? '(none)';
  if (miss.kind === 'failed')
    logger.warn(`Analysis ${id}: the question's query failed: ${failureDetail(miss.error)}`);
  else if (miss.kind === 'unfounded')
    logger.warn(`Analysis ${id}: the answer shows a number its result does not hold: ${miss.text}`);
}

/** What the summary needs of the question: the question, its focus, the numeric columns. */
function asked(
  brief: Record<string, unknown>,
  focus: QuestionFocus | undefined,
  dataset: AnalysisContext['dataset'] | undefined,
): SummaryContext['asked'] {
  if (focus === undefined || typeof brief.question !== 'string') return undefined;
  const numericColumns = (dataset?.columns ?? [])
    .filter((c) => c.type === 'integer' || c.type === 'number')
    .map((c) => c.name);
  return { question: brief.question, focus, numericColumns };
}

async function runAgent(
  request: AnalysisRequest,
  name: AgentName,
  agent: AnyAgent,
  context: AnalysisContext | undefined,
  brief: Record<string, unknown>,
): Promise<{ run: AgentRun; output: unknown }> {
  request.onEvent?.({ type: 'agent.started', agent: name });
  const started = Date.now();
  const timeout = AbortSignal.timeout(request.agentTimeoutMs);
  const signal =
    request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
  let output: unknown;
  let failure: AnalysisFailure | undefined;
  let usage = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  try {
    const result = await request.runner.run(agent, JSON.stringify(brief), {
      context,
      signal,
    });
    output = result.finalOutput;
    const total = result.runContext.usage;
    usage = {
      requests: total.requests,
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      totalTokens: total.totalTokens,
    };
    if (output === undefined)
      failure = { code: 'model-error', message: 'the agent gave no final output' };
  } catch (caught) {
    failure = timeout.aborted
      ? { code: 'timeout', message: `timed out after ${request.agentTimeoutMs} ms` }
      : request.signal?.aborted === true
        ? (request.signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
          ? { code: 'timeout', message: 'the analysis ran out of time' }
          : { code: 'cancelled', message: 'cancelled' }
        : describeFailure(caught);
    // The cause as it was (a driver's message) stays in the server's log.
    if (!['cancelled', 'input-rejected', 'model-invented-number'].includes(failure.code)) {
      logger.warn(
        `Analysis ${request.analysisId ?? '(none)'}: agent ${name} failed (${failure.code}): ${failureDetail(caught)}`,
      );
    }
  }
  const ended = Date.now();
  const run: AgentRun = {
    agent: name,
    status: failure === undefined ? 'succeeded' : 'failed',
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
    usage,
    ...(failure === undefined ? {} : { error: failure.message, errorCode: failure.code }),
  };
  request.onEvent?.({ type: 'agent.finished', run });
  return { run, output: failure === undefined ? output : undefined };
}
