import { parseLabelledSentences, sentimentFigures } from './sentiment';

describe('parseLabelledSentences', () => {
  it('reads sentence<TAB>label lines, trimming the sentence and skipping other lines', () => {
    expect(parseLabelledSentences('imdb', 'Loved it.  \t1\nAwful.\t0 \n\nno label here\n')).toEqual(
      [
        { source: 'imdb', text: 'Loved it.', positive: true },
        { source: 'imdb', text: 'Awful.', positive: false },
      ],
    );
  });
});

describe('sentimentFigures', () => {
  it('counts a neutral call as wrong and in neither class', () => {
    const truth = [true, true, false, false];
    const figures = sentimentFigures(truth, ['positive', 'neutral', 'negative', 'positive']);
    expect(figures.accuracy).toBe(0.5);
    // positive: precision 1/2, recall 1/2 → F1 0.5; negative: precision 1, recall 1/2 → 2/3.
    expect(figures.macroF1).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
    expect(figures.negative).toBe(0.25);
    expect(figures.neutral).toBe(0.25);
  });

  it('gives 0 F1 to a class never called', () => {
    const figures = sentimentFigures([true, false], ['positive', 'positive']);
    expect(figures.accuracy).toBe(0.5);
    // positive: precision 1/2, recall 1 → 2/3; negative never called → 0.
    expect(figures.macroF1).toBeCloseTo(1 / 3, 12);
  });
});
