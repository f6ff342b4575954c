/**
 * Words of a question and of column names, and how close two words are. Deliberately
 * small and dependency-free: the builtin planner only needs to recognise the columns and
 * the kinds of finding a question names, not to understand English.
 */

/** Lower-case words of a text: letters and digits, apostrophes dropped (`day's` → `days`). */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The parts of a column name: `temp_max` → temp, max; `unitPrice` → unit, price;
 * `pm2.5` → pm, 2, 5.
 */
export function columnParts(name: string): string[] {
  return wordsOf(
    name
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})/gu, '$1 $2')
      .replace(/(\p{N})(\p{L})/gu, '$1 $2'),
  );
}

/**
 * A light English stemmer for plurals only (`temperatures` → temperature, `categories` →
 * category, `boxes` → box); other suffixes are left to prefix and typo matching, which
 * is safer on column names than a full Porter stemmer (`news` stays `news`).
 */
export function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is|news)$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * The optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions, each substring edited once): the number of insertions, deletions,
 * substitutions and swaps of neighbours that turn `a` into `b`. Stops early and answers
 * `limit + 1` once the distance exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * Whether `typed` is a typo of `word`: one edit for words of 5–7 letters, two from 8 on
 * (shorter words are too close to each other to guess: `wind`/`kind`).
 */
export function isTypo(typed: string, word: string): boolean {
  const shorter = Math.min(typed.length, word.length);
  if (shorter < 5 || typed === word) return false;
  const allowed = shorter >= 8 ? 2 : 1;
  return editDistance(typed, word, allowed) <= allowed;
}
