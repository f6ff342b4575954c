import { execFile } from 'node:child_process';

/** What a PDF reader sees: the document's information and its text, page by page. */
export interface PdfText {
  info: Record<string, unknown>;
  totalPages: number;
  pages: string[];
}

// unpdf loads PDF.js with `import()`, which jest's CommonJS sandbox refuses without
// --experimental-vm-modules: the text is read in a plain Node child process instead.
const READ_TEXT = `
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
const { info } = await getMeta(pdf);
const { totalPages, text } = await extractText(pdf);
process.stdout.write(JSON.stringify({ info, totalPages, pages: text }));
`;

/** Extracts the text of `pdf` with unpdf (PDF.js), as a person copying it would get it. */
export function extractPdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '--eval', READ_TEXT],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`unpdf failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as PdfText);
      },
    );
    child.stdin?.end(pdf);
  });
}
