import { scoreSentiment } from './sentiment-scorer';

const score = (text: string) => scoreSentiment(text).score;

describe('scoreSentiment', () => {
  it('rates lexicon words, emoji and emoticons by their side', () => {
    expect(score('The staff were wonderful')).toBeGreaterThan(0);
    expect(score('The staff were awful')).toBeLessThan(0);
    expect(score('Arrived today 😍')).toBeGreaterThan(0);
    expect(score('Arrived today😡')).toBeLessThan(0);
    expect(score('Arrived today :)')).toBeGreaterThan(0);
    expect(score('Arrived today :(')).toBeLessThan(0);
  });

  it('is 0, with no cue, for a text without polarity', () => {
    expect(scoreSentiment('The phone arrived on Tuesday.')).toEqual({ score: 0, cues: 0 });
  });

  it('turns a negated word towards the other side', () => {
    expect(score('The food was not good')).toBeLessThan(0);
    expect(score('I was never disappointed')).toBeGreaterThan(0);
    expect(score("I didn't like the ending")).toBeLessThan(0);
    expect(score('No problems at all')).toBeGreaterThan(0);
    // A shift, not a flip: "not excellent" is milder than "terrible".
    expect(score('not excellent')).toBeGreaterThan(score('terrible'));
    // A clause boundary ends the negation's reach.
    expect(score('Not once, great')).toBeGreaterThan(0);
    // "not only" is no negation.
    expect(score('not only good')).toBeGreaterThan(0);
  });

  it('weighs the clause after "but" more than the one before', () => {
    expect(score('The food was great but the service was terrible')).toBeLessThan(0);
    expect(score('The food was terrible but the service was great')).toBeGreaterThan(0);
    expect(score('Although the wait was awful, the food was good')).toBeGreaterThan(0);
  });

  it('boosts and dampens by degree adverbs, capitals and exclamation marks', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('good')).toBeGreaterThan(score('slightly good'));
    expect(score('slightly bad')).toBeGreaterThan(score('bad'));
    expect(score('the food is GOOD')).toBeGreaterThan(score('the food is good'));
    expect(score('good!!')).toBeGreaterThan(score('good'));
  });

  it('reads excess, bare negations and warnings as negative', () => {
    expect(score('The buttons are too small.')).toBeLessThan(0);
    expect(score('It did not arrive.')).toBeLessThan(0);
    expect(score("Don't waste your money.")).toBeLessThan(0);
    // "not too …" is no excess.
    expect(score('not too big, not too small')).toBeGreaterThanOrEqual(0);
  });

  it('reads an unrated form of a rated word by its stem', () => {
    expect(score('The manual is lacking.')).toBeLessThan(0);
    expect(score('Highly unrecommended.')).toBeLessThan(0);
  });

  it('rates idioms as wholes, their negations included', () => {
    expect(score("I can't wait to go back")).toBeGreaterThan(0);
    expect(score('Cant say enough good things')).toBeGreaterThan(0);
    expect(score('The tiramisu is to die for')).toBeGreaterThan(0);
    expect(score('I could not be happier')).toBeGreaterThan(0);
    expect(score('The service was fair at best')).toBeLessThan(0);
    expect(score("I've had better bagels")).toBeLessThan(0);
    expect(score('Stay away from the noodles')).toBeLessThan(0);
  });

  it('reads an intent to return, and its negation', () => {
    expect(score('We will be back')).toBeGreaterThan(0);
    expect(score("We won't be back")).toBeLessThan(0);
    // Neg-raising: the negation of "think" reaches the clause it takes.
    expect(score("I don't think we'll be going back")).toBeLessThan(0);
    // "came back" is no intent.
    expect(scoreSentiment('The soup came back').cues).toBe(0);
  });

  it('rates "like" as a verb only, and grades by "pretty" and colloquial intensifiers', () => {
    expect(scoreSentiment('The potatoes were like rubber').cues).toBe(0);
    expect(score('I like the potatoes')).toBeGreaterThan(0);
    expect(score("We didn't like the potatoes")).toBeLessThan(0);
    expect(score('The rice was pretty bland')).toBeLessThan(0);
    expect(score('pretty good')).toBeGreaterThan(0);
    expect(score('pretty good')).toBeLessThan(score('good'));
    expect(score('insanely good')).toBeGreaterThan(score('good'));
    expect(score('damn good steak')).toBeGreaterThan(0);
  });

  it('rates the review words the lexicons lack', () => {
    expect(score('The soup was bland and the bread stale')).toBeLessThan(0);
    expect(score('Tasty and the staff attentive')).toBeGreaterThan(0);
  });

  it('splits words joined by punctuation', () => {
    expect(scoreSentiment('boring,pointless').cues).toBe(2);
  });

  it('stays within −1…1', () => {
    const text = 'great '.repeat(200);
    expect(score(text)).toBeLessThan(1);
    expect(score(text)).toBeGreaterThan(0.99);
  });
});
