import { KEYPHRASE_MAX_WORDS, KeyphraseCounter } from './keyphrases';

/** Feeds a text split on spaces; `|` stands for a stop word or punctuation. */
function counted(text: string): KeyphraseCounter {
  const counter = new KeyphraseCounter();
  for (const token of text.split(' ')) {
    if (token === '|') counter.cut();
    else counter.word(token);
  }
  return counter;
}

describe('KeyphraseCounter', () => {
  it('ranks recurring multi-word runs first, single words never', () => {
    const counter = counted(
      'customer service | slow | customer service | never answered | delivery time | great',
    );
    expect(counter.top().map((k) => [k.phrase, k.count])).toEqual([
      ['customer service', 2],
      ['delivery time', 1],
      ['never answered', 1],
    ]);
  });

  it('scores by RAKE: the sum of degree / frequency over the words', () => {
    // "battery" is in a 2-word and a 3-word run: degree 5, frequency 2 → 2.5; "life" 2/1;
    // "phone" and "drain" 3/1.
    const [first, second] = counted('battery life | phone battery drain').top();
    expect(first).toEqual({ phrase: 'phone battery drain', count: 1, score: 3 + 2.5 + 3 });
    expect(second).toEqual({ phrase: 'battery life', count: 1, score: 2.5 + 2 });
  });

  it(`drops runs longer than ${KEYPHRASE_MAX_WORDS} words and keeps at most k`, () => {
    expect(counted('a b c d e').top()).toEqual([]);
    expect(counted('a b | c d | e f').top(2)).toHaveLength(2);
  });
});
