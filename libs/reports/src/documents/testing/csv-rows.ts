/**
 * Reads CSV (RFC 4180: comma-delimited, fields quoted with doubled quotes) into one record
 * per row, keyed by the header's names. Enough for the documents' specs; not a product
 * parser.
 */
export function csvRows(csv: string): Array<Record<string, string>> {
  const lines: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < csv.length; index += 1) {
    const character = csv[index];
    if (quoted) {
      if (character === '"' && csv[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',') {
      fields.push(field);
      field = '';
    } else if (character === '\n') {
      lines.push([...fields, field]);
      fields = [];
      field = '';
    } else {
      field += character;
    }
  }
  if (quoted || field !== '' || fields.length > 0) throw new Error('CSV does not end a row');
  const [header, ...rows] = lines;
  return rows.map((row) => {
    if (row.length !== header.length) throw new Error(`row of ${row.length} fields`);
    return Object.fromEntries(header.map((name, column) => [name, row[column]]));
  });
}
