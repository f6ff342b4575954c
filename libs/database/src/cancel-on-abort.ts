import type { DataSource, EntityManager } from 'typeorm';

/**
 * `work` on the connection of `manager`'s transaction; when `signal` aborts, the statement
 * in flight is cancelled in PostgreSQL too (`pg_cancel_backend`), not left to run on.
 */
export async function cancelledOnAbort<T>(
  dataSource: DataSource,
  manager: EntityManager,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal === undefined) return work();
  // As text: a JavaScript Date would drop the microseconds the match below needs.
  const [backend] = await manager.query<Array<{ pid: number; started: string }>>(
    'SELECT pg_backend_pid() AS pid, now()::text AS started',
  );
  // Matched on the transaction's start too: the connection goes back to the pool when this
  // transaction ends, and a late cancel must not hit whatever runs on it next.
  const cancel = () => {
    dataSource
      .query(
        'SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND xact_start = $2::timestamptz',
        [backend?.pid, backend?.started],
      )
      .catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
