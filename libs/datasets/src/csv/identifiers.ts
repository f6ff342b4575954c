/** PostgreSQL's NAMEDATALEN − 1: longer identifiers are silently truncated by the server. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Words an identifier should not be: PostgreSQL's reserved key words
 * (`pg_get_keywords()` categories R and T, version 18) and the system columns,
 * which no table column may be named even when quoted.
 */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast ' +
    'check collate collation column concurrently constraint create cross current_catalog ' +
    'current_date current_role current_schema current_time current_timestamp current_user ' +
    'default deferrable desc distinct do else end except false fetch for foreign freeze from ' +
    'full grant group having ilike in initially inner intersect into is isnull join lateral ' +
    'leading left like limit localtime localtimestamp natural not notnull null offset on only ' +
    'or order outer overlaps placing primary references returning right select session_user ' +
    'similar some symmetric system_user table tablesample then to trailing true union unique ' +
    'user using variadic verbose when where window with ' +
    'tableoid xmin cmin xmax cmax ctid'
  ).split(' '),
);

/** Letters NFKD does not take apart into a base letter and marks. */
const TRANSLITERATION: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

export interface ColumnIdentifier {
  /** The name as the file gave it, for display. */
  name: string;
  /** A safe PostgreSQL column name: `[a-z_][a-z0-9_]*`, at most 63 bytes, unique. */
  identifier: string;
}

/**
 * Turns display names into PostgreSQL column names, in order: accents dropped
 * (`Café` → `cafe`), camelCase split (`firstName` → `first_name`), lowercased, every
 * run of other characters one `_`, a leading digit prefixed with `_`, cut to 63
 * bytes. A name with nothing left (`€`, `名前`) becomes `column_<position>`. Reserved
 * words, system column names, the caller's `reserved` names and names taken by an
 * earlier column get the first free suffix `_2`, `_3`, … (`order` → `order_2`), so
 * the result is unique and needs no quoting — though it is quoted anyway.
 */
export function columnIdentifiers(
  names: readonly string[],
  reserved: Iterable<string> = [],
): ColumnIdentifier[] {
  const taken = new Set<string>(reserved);
  return names.map((name, i) => {
    const base = baseIdentifier(name) || `column_${i + 1}`;
    let identifier = base;
    for (let n = 2; taken.has(identifier) || RESERVED.has(identifier); n++) {
      const suffix = `_${n}`;
      identifier = base.slice(0, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
    }
    taken.add(identifier);
    return { name, identifier };
  });
}

/** The identifier for one name, before collisions are resolved; '' when nothing is left. */
export function baseIdentifier(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþı]/giu, (letter) => TRANSLITERATION[letter.toLowerCase()] ?? '_');
  const snake = ascii
    // `firstName` → `first_Name`, `HTTPStatus` → `HTTP_Status`, `utf8String` → `utf8_String`
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const identifier = /^[0-9]/.test(snake) ? `_${snake}` : snake;
  return identifier.slice(0, MAX_IDENTIFIER_BYTES).replace(/_+$/, '');
}

/** `name` as a quoted SQL identifier (`"a""b"`), for any name PostgreSQL accepts. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\0')) {
    throw new RangeError(`Not a valid SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}
