/** What `npm run bench` passes every benchmark (scripts/bench.ts reads them from the flags). */
export interface BenchOptions {
  durationSeconds: number;
  connections: number;
}
