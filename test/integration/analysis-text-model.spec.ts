import { analyseText, runAnalysis } from '@app/analysis';
import { CLASSIFY_BATCH, modelPassageClassifier } from '@app/models';
import { OpenAIProvider, Runner, setTracingDisabled } from '@openai/agents';
import { FakeChatServer, text } from '../support/fake-chat-server';

const MODEL = 'fake-llm';
/** 60 reviews: two batches, of 50 and 10. */
const REVIEWS = Array.from({ length: 60 }, (_, i) =>
  i % 2 === 0 ? `Lovely stay, room ${i} was spotless.` : `Awful stay, room ${i} was filthy.`,
);
/** What the builtin scorer says of each review. */
const BUILTIN = REVIEWS.map((review) => (review.startsWith('Lovely') ? 'positive' : 'negative'));
/** The stand-in model's labels: the opposite of the scorer's, so whose label it is shows. */
const OPPOSITE = (review: string) => (review.startsWith('Lovely') ? 'negative' : 'positive');

describe('passages labelled by a language model (a Chat Completions stand-in)', () => {
  const fake = new FakeChatServer();
  // As model-selection.ts builds it for `openai-compatible`.
  let provider: OpenAIProvider;

  beforeAll(async () => {
    // Offline: no trace leaves the process (the app replaces the SDK's exporter; this test has no app).
    setTracingDisabled(true);
    provider = new OpenAIProvider({
      baseURL: await fake.start(),
      apiKey: 'local',
      useResponses: false,
    });
  });
  afterEach(() => {
    fake.labelPassages = undefined;
    fake.mode = 'answer';
    fake.received.length = 0;
  });
  afterAll(async () => {
    await provider.close();
    await fake.stop();
  });

  const classifier = () => modelPassageClassifier(provider, MODEL);
  const labelRequests = () =>
    fake.received.filter(({ body }) =>
      (body.tools ?? []).some((tool) => tool.function.name === 'label_passages'),
    );

  it('labels passages with the model, 50 to a call, through a checked tool', async () => {
    fake.labelPassages = (passages) => ({
      labels: passages.map(({ index, text: passage }) => ({ index, label: OPPOSITE(passage) })),
    });

    const document = await analyseText('review', REVIEWS, { classifier: classifier() });

    expect(document.passages.map((p) => [p.label, p.method])).toEqual(
      REVIEWS.map((review) => [OPPOSITE(review), 'model']),
    );
    expect(document.counts).toEqual({ positive: 30, negative: 30, neutral: 0 });
    const sizes = labelRequests().map(({ body }) => {
      const user = body.messages.find((message) => message.role === 'user');
      return (JSON.parse(text(user?.content)) as { passages: unknown[] }).passages.length;
    });
    expect(sizes.sort((a, b) => a - b)).toEqual([REVIEWS.length - CLASSIFY_BATCH, CLASSIFY_BATCH]);
  });

  it('falls back to the builtin scorer for a batch whose answer does not check', async () => {
    // The first batch answers well; the second leaves an index out.
    fake.labelPassages = (passages) => ({
      labels: passages
        .map(({ index, text: passage }) => ({ index, label: OPPOSITE(passage) }))
        .slice(0, passages.length === CLASSIFY_BATCH ? undefined : -1),
    });

    const document = await analyseText('review', REVIEWS, { classifier: classifier() });

    expect(document.passages.map((p) => [p.label, p.method])).toEqual(
      REVIEWS.map((review, i) =>
        i < CLASSIFY_BATCH ? [OPPOSITE(review), 'model'] : [BUILTIN[i], 'builtin'],
      ),
    );
  });

  it.each([
    ['a label outside the enum', { labels: [{ index: 0, label: 'ecstatic' }] }],
    [
      'an index twice',
      {
        labels: [
          { index: 0, label: 'positive' },
          { index: 0, label: 'negative' },
        ],
      },
    ],
    ['no labels', { verdict: 'positive' }],
  ])('keeps the builtin labels for %s', async (_case, answer) => {
    fake.labelPassages = () => answer;
    const two = REVIEWS.slice(0, 2);
    const document = await analyseText('review', two, { classifier: classifier() });
    expect(document.passages.map((p) => [p.label, p.method])).toEqual([
      ['positive', 'builtin'],
      ['negative', 'builtin'],
    ]);
    expect(labelRequests()).toHaveLength(1);
  });

  it('keeps the builtin labels when the model answers without the tool, or fails', async () => {
    for (const mode of ['answer', 'error'] as const) {
      fake.mode = mode;
      const document = await analyseText('review', REVIEWS.slice(0, 2), {
        classifier: classifier(),
      });
      expect(document.passages.map((p) => p.method)).toEqual(['builtin', 'builtin']);
    }
  });

  it('labels the passages of an analysis run on the model through the real runner', async () => {
    fake.labelPassages = (passages) => ({
      labels: passages.map(({ index, text: passage }) => ({ index, label: OPPOSITE(passage) })),
    });
    const runner = new Runner({ modelProvider: provider, tracingDisabled: true });

    const outcome = await runAnalysis({
      runner,
      model: MODEL,
      brief: { text: REVIEWS.slice(0, 4).join(' ') },
      context: undefined,
      agentTimeoutMs: 30_000,
      agents: ['text'],
      classifier: classifier(),
    });

    expect(outcome.agents.map((run) => [run.agent, run.status])).toEqual([['text', 'succeeded']]);
    const passages = outcome.results.text?.documents[0]?.passages ?? [];
    expect(passages.map((p) => [p.label, p.method])).toEqual(
      REVIEWS.slice(0, 4).map((review) => [OPPOSITE(review), 'model']),
    );
  });
});
