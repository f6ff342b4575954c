import { type AppConfig, loadConfig } from '@app/config';
import { OpenTelemetryTracing } from '@app/observability';
import { Logger } from '@nestjs/common';
import {
  Agent,
  getGlobalTraceProvider,
  setTraceProcessors,
  setTracingDisabled,
  tool,
} from '@openai/agents';
import { z } from 'zod';
import { AnalysisModel, BUILTIN_MODEL_NAME } from '@app/models';
import { AgentTracingService } from './agent-tracing.service';

const NO_KEY_WARNING = 'No API key provided for OpenAI tracing exporter';
const OUTPUT_MARKER = 'tool-output-marker-5e1f';

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** An agent with one tool, run on the builtin model through the app's own runner. */
async function runOnce(): Promise<void> {
  const model = new AnalysisModel(loadConfig({ NODE_ENV: 'test' }));
  const agent = new Agent({
    name: 'traced',
    instructions: 'Look it up.',
    model: BUILTIN_MODEL_NAME,
    tools: [
      tool({
        name: 'lookup',
        description: 'Looks something up',
        parameters: z.object({}),
        execute: () => JSON.stringify({ found: OUTPUT_MARKER }),
      }),
    ],
  });
  await model.runner.run(agent, '{}');
}

function agentTracing(config: AppConfig): AgentTracingService {
  return new AgentTracingService(config, new OpenTelemetryTracing(config));
}

describe('AgentTracingService', () => {
  let fetchSpy: jest.SpiedFunction<typeof fetch>;
  let consoleLines: string[];
  let debugLines: Array<Record<string, unknown>>;

  beforeEach(() => {
    // Nothing here may reach the network: an export, if any, is answered here.
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{}'));
    consoleLines = [];
    for (const method of ['error', 'warn', 'log'] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map(String).join(' '));
      });
    }
    debugLines = [];
    jest.spyOn(Logger.prototype, 'debug').mockImplementation((message: unknown) => {
      debugLines.push(message as Record<string, unknown>);
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(() => {
    setTraceProcessors([]);
    setTracingDisabled(true);
  });

  // Runs first, on the exporter importing the SDK installed: shows the trap the tests
  // below guard against is real and that they would see it.
  it('(control) the SDK default exporter complains without a key, or sends to OpenAI with one', async () => {
    setTracingDisabled(false);
    await runOnce();
    await getGlobalTraceProvider().forceFlush();

    const complained = consoleLines.some((line) => line.includes(NO_KEY_WARNING));
    const exported = fetchSpy.mock.calls.some(([url]) => urlOf(url).includes('api.openai.com'));
    expect(complained || exported).toBe(true);
  });

  it('logs spans at debug, sends nothing anywhere and never warns about a key', async () => {
    const tracing = agentTracing(
      loadConfig({
        NODE_ENV: 'test',
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: 'http://127.0.0.1:9/v1',
        LLM_MODEL: 'local',
      }),
    );
    tracing.onModuleInit();

    await runOnce();
    await tracing.onApplicationShutdown();

    expect(debugLines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ spanType: 'function', spanName: 'lookup' }),
        expect.objectContaining({ traceName: 'Sightline analysis' }),
      ]),
    );
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(consoleLines.filter((line) => line.includes(NO_KEY_WARNING))).toEqual([]);
  });

  it('also exports to OpenAI with the configured key when LLM_TRACE_EXPORT is on, without tool data', async () => {
    const tracing = agentTracing(
      loadConfig({
        NODE_ENV: 'test',
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-configured',
        LLM_TRACE_EXPORT: 'true',
      }),
    );
    tracing.onModuleInit();

    await runOnce();
    await tracing.onApplicationShutdown();

    const exports = fetchSpy.mock.calls.filter(([url]) =>
      urlOf(url).startsWith('https://api.openai.com/v1/traces/ingest'),
    );
    expect(exports.length).toBeGreaterThan(0);
    for (const [, init] of exports) {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer sk-configured');
      expect(typeof init?.body).toBe('string');
      expect(init?.body).not.toContain(OUTPUT_MARKER);
    }
    expect(debugLines.some((line) => line.spanType === 'function')).toBe(true);
  });
});
