import { type AppConfig, loadConfig } from '@app/config';
import { AnalysisModel } from '@app/models';
import type { OrganizationId } from '@app/tenancy';
import { Logger } from '@nestjs/common';
import {
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  Usage,
} from '@openai/agents';
import type { ReportContent } from '../documents/report-content';
import { dimensionsLabel, metricHeading, metricTableRows } from '../documents/report-format';
import { composeNarrative } from '../documents/report-narrative';
import { metricSection, reportContent, statistics } from '../documents/testing/report-fixture';
import { ReportNarrativeService } from './report-narrative.service';

const ORGANIZATION = 'a1d4c5e6-0000-4000-8000-000000000001' as OrganizationId;
const NUMBER = /[+-]?\d[\d,.]*\d%?|[+-]?\d%?/g;

const fixture = reportContent();
// The fixture's two metrics, and one with digits in its name and filter.
const content: ReportContent = {
  ...fixture,
  metrics: [
    ...fixture.metrics,
    metricSection({
      name: 'p95 latency',
      unit: 'ms',
      dimensions: { region: 'eu-west-1' },
      aggregate: 'p95',
      current: statistics({ p95: 0.00123456 }),
      previous: statistics({ p95: 0.002 }),
      change: { absolute: -0.00076544, percent: -38.272 },
    }),
  ],
};

/** A model that answers every call with what `respond` gives (or throws). */
class ScriptedModel implements Model {
  calls = 0;
  constructor(private readonly respond: (request: ModelRequest) => Promise<ModelResponse>) {}

  getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.calls += 1;
    return this.respond(request);
  }

  getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('not used');
  }
}

function narrates(text: string): ScriptedModel {
  return new ScriptedModel(() =>
    Promise.resolve({
      usage: new Usage({ requests: 1 }),
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: JSON.stringify({ narrative: text }) }],
        },
      ],
      responseId: undefined,
    }),
  );
}

/** The configured model as the service sees it, with `model` behind it. */
function configured(model: Model): AnalysisModel {
  // The service reads only these; the real class would select a model from the configuration.
  return {
    provider: 'openai',
    name: 'scripted',
    modelProvider: { getModel: () => model },
  } as unknown as AnalysisModel;
}

/** The numbers each metric's headline row shows, as it shows them. */
function headlineNumbers(report: ReportContent): Set<string> {
  return new Set(
    report.metrics
      .flatMap((section) => metricTableRows(section).filter((row) => row.headline))
      .flatMap((row) => [row.current, row.previous, ...(row.change.match(NUMBER) ?? [])]),
  );
}

describe('ReportNarrativeService', () => {
  const config: AppConfig = loadConfig({ NODE_ENV: 'test' });
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('has the builtin model narrate every metric, stating only numbers from the tables', async () => {
    const model = new AnalysisModel(config);
    const service = new ReportNarrativeService(model, config);

    const narrative = await service.narrative(ORGANIZATION, content);

    expect(model.provider).toBe('builtin');
    expect(narrative).not.toBe(composeNarrative(content));
    // Names whose digits are not numbers: "p95 latency", "eu-west-1", "95th percentile".
    const names = content.metrics.flatMap((section) => [
      metricHeading(section),
      dimensionsLabel(section.dimensions),
      ...metricTableRows(section).map((row) => row.label),
    ]);
    for (const section of content.metrics) expect(narrative).toContain(metricHeading(section));
    const numbers = names.reduce((text, name) => text.split(name).join(' '), narrative);
    const stated = numbers.match(NUMBER) ?? [];
    expect(stated.length).toBeGreaterThan(content.metrics.length);
    const shown = headlineNumbers(content);
    expect(stated.filter((number) => !shown.has(number))).toEqual([]);
    expect(await service.narrative(ORGANIZATION, content)).toBe(narrative);
    expect(warn).not.toHaveBeenCalled();
    await model.onApplicationShutdown();
  });

  it("keeps a model's narrative whose numbers are the tables'", async () => {
    const text = 'Revenue rose 23.5% to 123,457; p95 latency fell 38.3% to 0.001235.';
    const service = new ReportNarrativeService(configured(narrates(text)), config);

    expect(await service.narrative(ORGANIZATION, content)).toBe(text);
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a narrative with a number of its own and falls back to the tables', async () => {
    const model = narrates('Revenue rose 37% on the month.');
    const service = new ReportNarrativeService(configured(model), config);

    expect(await service.narrative(ORGANIZATION, content)).toBe(composeNarrative(content));
    expect(model.calls).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain('the narrative states 37%');
  });

  it('falls back to the tables when the model fails', async () => {
    const model = new ScriptedModel(() => Promise.reject(new Error('connect ECONNREFUSED')));
    const service = new ReportNarrativeService(configured(model), config);

    expect(await service.narrative(ORGANIZATION, content)).toBe(composeNarrative(content));
    expect(warn.mock.calls[0]?.[0]).toContain('connect ECONNREFUSED');
  });

  it('falls back to the tables when the model outlasts its time, even ignoring its signal', async () => {
    // REPORT_TIMEOUT_SECONDS=1 leaves the narrative half of it: 500 ms.
    const short = loadConfig({ NODE_ENV: 'test', REPORT_TIMEOUT_SECONDS: '1' });
    const model = new ScriptedModel(() => new Promise<ModelResponse>(() => undefined));
    const service = new ReportNarrativeService(configured(model), short);

    const started = Date.now();
    expect(await service.narrative(ORGANIZATION, content)).toBe(composeNarrative(content));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(warn.mock.calls[0]?.[0]).toContain('ran out of time');
  });
});
