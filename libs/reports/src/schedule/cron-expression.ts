import { Cron } from 'croner';

/**
 * The nicknames a report schedule may use, each short for a 5-field expression (`@daily` is
 * `0 0 * * *`). Vixie cron's set less `@reboot`, which names an event, not a time.
 */
export const SCHEDULE_NICKNAMES = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
] as const;

const FIELD_NAMES = 'minute hour day-of-month month day-of-week';

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  // 0 and 7 are both Sunday.
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

/** Options every croner job of a report schedule is built with. */
export const CRON_OPTIONS = { paused: true, mode: '5-part' } as const;

/**
 * What is wrong with a 5-field cron expression, or undefined when croner can run it. Croner's
 * extensions within the five fields (`L`, `W`, `#`, `+`, `?`, names) are accepted.
 */
export function cronExpressionProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text.startsWith('@')) return nicknameProblem(text);
  const fields = text === '' ? [] : text.split(/\s+/);
  if (fields.length !== FIELDS.length) return fieldCountProblem(fields.length);
  for (const [index, field] of fields.entries()) {
    const problem = rangeProblem(field, FIELDS[index]) ?? fieldSyntaxProblem(fields, index);
    if (problem !== undefined) return problem;
  }
  const problem = cronerProblem(text);
  return problem === undefined ? undefined : `'${text}' is invalid: ${problem}`;
}

function fieldCountProblem(count: number): string {
  const expected = `expected five fields (${FIELD_NAMES})`;
  if (count === 0) return `${expected}, got none`;
  if (count === 6) return `${expected}, got 6: a seconds field is not supported`;
  if (count === 7) return `${expected}, got 7: seconds and year fields are not supported`;
  return `${expected}, got ${count}`;
}

function nicknameProblem(text: string): string | undefined {
  if ((SCHEDULE_NICKNAMES as readonly string[]).includes(text)) return undefined;
  if (text === '@reboot')
    return '@reboot is not supported: a report runs at times, not at start-up';
  return `unknown nickname '${text}'; use five fields or one of ${SCHEDULE_NICKNAMES.join(', ')}`;
}

/**
 * A value outside the field's range, checked here because croner reports some against its
 * zero-based arrays ("Invalid value for day: 31" for 32, "month: 12" for 13).
 */
function rangeProblem(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  for (const item of field.split(',')) {
    // Numbers after `/` are steps and after `#` the nth weekday; croner checks those.
    const values = item.split('/')[0].replace(/#.*$/, '').match(/\d+/g) ?? [];
    for (const value of values) {
      const number = Number(value);
      if (number < spec.min || number > spec.max) {
        return `${spec.name} field ${value} is out of range ${spec.min}–${spec.max}`;
      }
    }
  }
  return undefined;
}

/** Croner's complaint about one field, found by parsing it with the other four as `*`. */
function fieldSyntaxProblem(fields: string[], index: number): string | undefined {
  const alone = fields.map((field, i) => (i === index ? field : '*')).join(' ');
  const problem = cronerProblem(alone);
  return problem === undefined
    ? undefined
    : `${FIELDS[index].name} field '${fields[index]}' is invalid: ${problem}`;
}

function cronerProblem(text: string): string | undefined {
  try {
    new Cron(text, CRON_OPTIONS);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
  }
}
