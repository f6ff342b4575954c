import type { Loader, ViewOptions } from 'vega';
import { ChartRenderError } from './chart-render-error';

type Logger = NonNullable<ViewOptions['logger']>;

/** Longest excerpt of a refused URL quoted in an error (a `data:` URL can be megabytes). */
const MAX_QUOTED_URL = 200;

/**
 * What one chart is allowed to reach, and what went wrong while Vega ran it. Vega swallows
 * loading failures (a warning, then an empty dataset or a blank image) and logs runtime
 * errors instead of throwing them, so this records both and {@link failure} turns them into
 * an error after rendering — a refused or broken chart never passes for a blank one.
 */
export class ChartSandbox {
  private readonly refused: string[] = [];
  private readonly errors: Error[] = [];

  /**
   * A loader that reaches neither the network nor the file system: every URL (data, image
   * or hyperlink, whatever its scheme) is refused. Charts carry their data inline.
   */
  readonly loader: Loader = {
    load: (uri) => this.refuse(uri),
    http: (uri) => this.refuse(uri),
    file: (filename) => this.refuse(filename),
    // Resolves (with no address) rather than rejects: Vega's SVG renderer does not catch a
    // rejected hyperlink, and the refusal is reported by failure() all the same.
    sanitize: (uri) => {
      this.refused.push(String(uri));
      return Promise.resolve({ href: '' });
    },
  };

  /** Records Vega's errors; warnings (an empty extent, say) leave the chart usable. */
  readonly logger: Logger = {
    level: (level?: number) => (level === undefined ? 0 : this.logger),
    error: (...args: unknown[]) => {
      const error = args.find((arg) => arg instanceof Error);
      const words = args.filter((arg) => typeof arg === 'string');
      this.errors.push(error ?? new Error(words.join(' ') || 'Vega reported an error'));
      return this.logger;
    },
    warn: () => this.logger,
    info: () => this.logger,
    debug: () => this.logger,
  };

  /** The first thing that went wrong, or undefined when the chart ran cleanly. */
  failure(): ChartRenderError | undefined {
    const [url] = this.refused;
    if (url !== undefined) {
      return new ChartRenderError(
        `chart refers to an external resource, which charts may not load: ${quote(url)}`,
      );
    }
    const [error] = this.errors;
    if (error === undefined) return undefined;
    return new ChartRenderError(`chart failed while rendering: ${error.message}`, {
      cause: error,
    });
  }

  private refuse(uri: string): Promise<never> {
    this.refused.push(String(uri));
    return Promise.reject(new ChartRenderError(`refused to load ${quote(uri)}`));
  }
}

function quote(url: string): string {
  return url.length > MAX_QUOTED_URL ? `${url.slice(0, MAX_QUOTED_URL)}…` : url;
}
