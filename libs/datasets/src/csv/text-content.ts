import { CsvError } from './csv-errors';
import { Utf8DecodeError, Utf8Decoder } from './utf8-decoder';

// Whether an upload is UTF-8 text at all, and the refusals that say where it is not.

/** Above this share of control characters in the sample, the file is not text. */
const MAX_CONTROL_SHARE = 0.05;

/** The sample as text, for sniffing; bad UTF-8 in it fails here, with its line. */
export function decodeSample(body: Uint8Array, complete: boolean): string {
  const decoder = new Utf8Decoder();
  let text = '';
  try {
    text = decoder.decode(body);
    if (complete) decoder.end();
    return text;
  } catch (error) {
    if (!(error instanceof Utf8DecodeError)) throw error;
    throw notUtf8(error, 1 + countLineBreaks(text || error.validPrefix));
  }
}

/** NUL bytes, or many control characters, at the start: an image, a zip, UTF-16 text… */
export function checkNotBinary(sample: Uint8Array): void {
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (sample[i] === 0x0a) line += 1;
    throw binaryAt(line);
  }
  let controls = 0;
  for (const byte of sample) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) {
      controls += 1;
    }
  }
  if (sample.length > 0 && controls / sample.length > MAX_CONTROL_SHARE) {
    const share = Math.round((100 * controls) / sample.length);
    throw new CsvError(
      'binary-content',
      `The file looks binary, not CSV text: ${share}% of its first ${sample.length} bytes are control characters`,
    );
  }
}

export function binaryAt(line: number): CsvError {
  return new CsvError(
    'binary-content',
    `Line ${line} contains a NUL byte: the file looks binary (or UTF-16), not UTF-8 CSV text`,
    line,
  );
}

export function notUtf8(error: Utf8DecodeError, line: number): CsvError {
  return new CsvError(
    'not-utf8',
    `Line ${line} is not valid UTF-8 (${error.detail}); save the file as UTF-8 and upload it again`,
    line,
  );
}

/** Line breaks as the tokenizer counts them: `\n`, `\r\n` and a lone `\r` are one each. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (i === 0 || text.charCodeAt(i - 1) !== 0x0d) count += 1;
    } else if (c === 0x0d) {
      count += 1;
    }
  }
  return count;
}
