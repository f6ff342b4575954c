/**
 * Admits at most `capacity` pieces of work at once; the others wait in arrival order, at
 * most `maxWaiting` of them: past that, `run` throws `whenFull()` at once (a queue without
 * bound would hold every waiting client's socket and body for as long as it liked).
 * Uploads go through one, since each holds a database connection for its whole length.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly capacity: number,
    private readonly maxWaiting = Infinity,
    private readonly whenFull: () => Error = () => new Error('The queue is full'),
  ) {}

  /** Work running now, and work waiting for its turn. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.capacity) {
      if (this.waiting.length >= this.maxWaiting) throw this.whenFull();
      // The finishing work hands its place over directly (`active` stays the same).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
