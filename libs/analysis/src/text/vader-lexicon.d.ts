// vader-sentiment ships its lexicon as an ES module without types (Node 24 `require`s it;
// jest compiles it, see jest.config.ts).
declare module 'vader-sentiment/src/vader_lexicon.js' {
  /** Word, emoticon or slang → mean valence, −4…4. */
  export const lexicon: Record<string, number>;
}
