/**
 * Text that reads like an instruction to a language model rather than data: the
 * well-known shapes of prompt injection (OWASP LLM01). A match is reported to the user
 * and the text is kept away from every model; it is never obeyed, and never "cleaned"
 * and passed on, because a rewritten injection is still an injection.
 *
 * These are patterns, not a classifier: they catch the common phrasings in English and
 * miss paraphrases. The guardrail's job is to stop the obvious cases before a model reads
 * them; the agents' design (numbers only from tools, read-only SQL) limits the rest.
 *
 * Linear time (a backtracking matcher, so by construction): every unbounded quantifier is
 * `\s*`/`\s+` right after a fixed word or mark, followed by a word or mark that is not
 * whitespace. A run of whitespace is then scanned from a constant number of starts, and
 * giving back one character of it fails at once; nothing tries splits of one run.
 * `prompt-injection.spec.ts` screens 1 MiB of each shape that would break it (linear time);
 * `npm run bench -- screening` times them against the 50 ms target.
 */
export const INJECTION_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  {
    name: 'ignore-instructions',
    pattern:
      /\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|every\s+)?(of\s+)?(the\s+|your\s+|my\s+|these\s+|those\s+)?(previous|prior|above|earlier|preceding|original|system|safety)\s+(instructions?|prompts?|rules|directions|guidelines|messages|context)\b/i,
  },
  {
    name: 'role-override',
    pattern:
      /\b(you\s+are\s+now|from\s+now\s+on\s+you\s+are|pretend\s+(to\s+be|you\s+are)|act\s+as\s+(an?\s+)?(unrestricted|unfiltered|jailbroken|different))\b/i,
  },
  {
    name: 'prompt-exfiltration',
    pattern:
      /\b(reveal|print|show|repeat|output|leak|disclose)\s+(me\s+)?(your|the)\s+(system\s+prompt|hidden\s+prompt|initial\s+prompt|instructions|api\s+key|secrets?)\b/i,
  },
  {
    name: 'new-instructions',
    pattern: /\b(new|updated|real|actual)\s+(system\s+)?instructions?\s*:/i,
  },
  {
    name: 'chat-markup',
    // `(\/\s*)?`, not `\/?\s*`: two `\s*` side by side try every split of a run. At a line
    // start only horizontal space: `^\s*` would rescan every later line from each line start.
    pattern:
      /(<\|?\s*(system|im_start|im_end|assistant)\s*\|?>|\[\s*(\/\s*)?(INST|SYSTEM)\s*\]|^[^\S\n\r\u2028\u2029]*(system|assistant)\s*:)/im,
  },
  {
    name: 'jailbreak',
    pattern: /\b(jailbreak|do\s+anything\s+now|developer\s+mode\s+(enabled|on)|DAN\s+mode)\b/i,
  },
];

/** The first pattern `text` matches, by name, or undefined. */
export function injectionPattern(text: string): string | undefined {
  return INJECTION_PATTERNS.find(({ pattern }) => pattern.test(text))?.name;
}

/** A short, single-line excerpt around the match, for the user (never for a model). */
export function injectionExcerpt(text: string, maxLength = 120): string {
  const match = INJECTION_PATTERNS.map(({ pattern }) => pattern.exec(text)).find(
    (found) => found !== null,
  );
  const start = Math.max(0, (match?.index ?? 0) - 20);
  const excerpt = text
    .slice(start, start + maxLength)
    .replace(/\s+/g, ' ')
    .trim();
  return (start > 0 ? '…' : '') + excerpt + (start + maxLength < text.length ? '…' : '');
}
