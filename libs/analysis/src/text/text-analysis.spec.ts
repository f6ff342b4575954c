import { Runner } from '@openai/agents';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { textAgent } from '../agents/text-agent';
import { analyseText, label, passageLabel } from './text-analysis';

const REVIEW =
  'I absolutely love this product, the quality is wonderful and the staff were so helpful. ' +
  'The delivery on 5 March 2024 was a terrible, awful experience and the refund of $40 never came. ' +
  'Our address is hello@example.com.';

describe('analyseText', () => {
  it('labels clearly positive and negative passages and finds the entities', async () => {
    const document = await analyseText('text', REVIEW);
    expect(document.passages.map((p) => p.label)).toEqual(['positive', 'negative', 'neutral']);
    expect(document.entities.map((e) => `${e.type}:${e.value}`).sort()).toEqual(
      ['DATE:5 March 2024', 'EMAIL:hello@example.com', 'MONEY:$40'].sort(),
    );
    expect(document.keywords.map((k) => k.word)).toEqual(
      expect.arrayContaining(['delivery', 'product', 'love']),
    );
  });

  it('gives the same result for the same text', async () => {
    expect(await analyseText('text', REVIEW)).toEqual(await analyseText('text', REVIEW));
  });

  it('treats each value of a column as a passage', async () => {
    const document = await analyseText('comment', [
      'Great, fast and friendly!',
      'Broken on arrival. Awful.',
    ]);
    expect(document.passages.map((p) => [p.index, p.label])).toEqual([
      [0, 'positive'],
      [1, 'negative'],
    ]);
  });

  it('finds keyphrases within values, never across two', async () => {
    const document = await analyseText('comment', [
      'The customer service was slow',
      'Customer service never answered my emails',
      'Battery life',
      'Screen glare',
    ]);
    expect(document.keyphrases[0]).toMatchObject({ phrase: 'customer service', count: 2 });
    const phrases = document.keyphrases.map((k) => k.phrase);
    expect(phrases).toEqual(expect.arrayContaining(['battery life', 'screen glare']));
    expect(phrases.some((phrase) => phrase.includes('life screen'))).toBe(false);
  });

  it('labels a document by threshold, a passage by side', () => {
    expect([label(0.5), label(-0.5), label(0.02)]).toEqual(['positive', 'negative', 'neutral']);
    expect([passageLabel(0.01), passageLabel(-0.01), passageLabel(0)]).toEqual([
      'positive',
      'negative',
      'neutral',
    ]);
  });

  it('averages the passages and counts them by label', async () => {
    const document = await analyseText('comment', ['Great!', 'Awful.', 'It came on Monday.']);
    expect(document.counts).toEqual({ positive: 1, negative: 1, neutral: 1 });
    expect(document.sentiment).toBeCloseTo(
      document.passages.reduce((sum, p) => sum + p.sentiment, 0) / 3,
      12,
    );
  });
});

describe('textAgent on the builtin model', () => {
  it('analyses the brief text through its tool', async () => {
    const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });
    const result = await runner.run(
      textAgent(BUILTIN_MODEL_NAME, undefined),
      JSON.stringify({ text: REVIEW }),
    );
    expect(result.finalOutput?.documents).toEqual([
      { ...(await analyseText('text', REVIEW)), toolCallId: 'call_1_analyze_text' },
    ]);
  });
});
