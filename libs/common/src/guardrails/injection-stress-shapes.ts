/**
 * Texts that would make a backtracking matcher retry one long run again and again, were an
 * injection pattern written carelessly: runs of each kind of whitespace, after each opening
 * the patterns know, and repeated openings. Shared by `prompt-injection.spec.ts` (linear
 * time) and `npm run bench -- screening` (the time target).
 */
export function injectionStressShapes(length: number): Array<[string, string]> {
  const fill = (unit: string, head = '') =>
    head +
    unit.repeat(Math.ceil((length - head.length) / unit.length)).slice(0, length - head.length);
  const half = Math.floor(length / 2);
  return [
    ['spaces', fill(' ')],
    ['newlines', fill('\n')],
    ['tabs', fill('\t')],
    ['carriage returns and newlines', fill('\r\n')],
    ['line separators', fill('\u2028')],
    ['no-break spaces', fill('\u00a0')],
    ['newline, space', fill('\n ')],
    ['[ + spaces', fill(' ', '[')],
    ['[ + newlines', fill('\n', '[')],
    ['[/ + spaces', fill(' ', '[/')],
    ['[ + spaces + / + spaces', `[${' '.repeat(half)}/${' '.repeat(half)}`],
    ['[INST + spaces', fill(' ', '[INST')],
    ['repeated [ and spaces', fill('[ ')],
    ['< + spaces', fill(' ', '<')],
    ['<| + spaces', fill(' ', '<|')],
    ['<system + spaces', fill(' ', '<system')],
    ['repeated newline system', fill('\n system ')],
    ['system + spaces', fill(' ', 'system')],
    ['ignore + spaces', fill(' ', 'ignore')],
    ['repeated "ignore all of the"', fill('ignore all of the ')],
    ['repeated "ignore the previous"', fill('ignore the previous ')],
    ['you + spaces', fill(' ', 'you')],
    ['repeated "you are"', fill('you are ')],
    ['from now on + spaces', fill(' ', 'from now on you')],
    ['act as + spaces', fill(' ', 'act as')],
    ['reveal + spaces', fill(' ', 'reveal')],
    ['repeated "reveal me the"', fill('reveal me the ')],
    ['new + spaces', fill(' ', 'new')],
    ['repeated "new system"', fill('new system ')],
    ['developer + spaces', fill(' ', 'developer')],
    ['do + spaces', fill(' ', 'do anything')],
    ['one long word', fill('a')],
  ];
}
