import { type Inputs, useEffect, useState } from 'preact/hooks';
import { describeProblem } from './api';

export type Loadable<T> =
  { status: 'loading' } | { status: 'loaded'; data: T } | { status: 'failed'; message: string };

/** What an openapi-fetch call resolves to. */
interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs `call` when `inputs` change and follows it: loading, the data, or the sentence to
 * show for its failure. A result that arrives after the inputs changed is dropped.
 */
export function useApiData<T>(call: () => Promise<ApiResult<T>>, inputs: Inputs): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    call().then(
      ({ data, error, response }) => {
        if (!current) return;
        setState(
          data !== undefined
            ? { status: 'loaded', data }
            : { status: 'failed', message: describeProblem(error, response) },
        );
      },
      (error: unknown) => {
        if (current) setState({ status: 'failed', message: describeProblem(error) });
      },
    );
    return () => {
      current = false;
    };
    // The caller names what the call depends on, as with useEffect.
  }, inputs);
  return state;
}
