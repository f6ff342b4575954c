import type { PoolClient } from 'pg';
import type QueryStream from 'pg-query-stream';
import type { Readable, Transform } from 'node:stream';
import type { DataSource } from 'typeorm';

/**
 * Runs `query` (a pg-query-stream cursor) on a connection of its own and pipes its rows
 * through `encode`, which is returned: memory stays flat for any number of rows. The
 * connection goes back to the pool when the stream ends, and is closed instead when the
 * query fails or the reader goes away mid-cursor (a half-read cursor must not be reused).
 *
 * `statementTimeoutMs` replaces the session's statement timeout for the cursor: its
 * statement lasts until the last row is read, so the reader's pace counts against it
 * (with the API's 30 s, every export longer than 30 s was cut off).
 */
export async function streamQuery(
  dataSource: DataSource,
  query: QueryStream,
  encode: Transform,
  statementTimeoutMs?: number,
): Promise<Readable> {
  const [connection, release] = (await dataSource.driver.obtainMasterConnection()) as [
    PoolClient,
    (error?: Error) => void,
  ];
  if (statementTimeoutMs !== undefined) {
    try {
      await connection.query(
        `SET statement_timeout = ${Math.max(0, Math.floor(statementTimeoutMs))}`,
      );
    } catch (error) {
      release(error as Error);
      throw error;
    }
  }
  const rows = connection.query(query);
  let released = false;
  const done = (error?: Error) => {
    if (released) return;
    released = true;
    if (error === undefined && statementTimeoutMs !== undefined) {
      // Back to the session's own timeout (the pool's) before another request gets it.
      connection.query('RESET statement_timeout').then(
        () => release(),
        (reset: Error) => release(reset),
      );
      return;
    }
    if (error === undefined) {
      release();
      return;
    }
    rows.destroy();
    release(error);
  };
  rows.on('error', (error) => {
    done(error);
    encode.destroy(error);
  });
  encode.on('close', () => done(encode.writableFinished ? undefined : new Error('aborted')));
  rows.pipe(encode);
  return encode;
}
