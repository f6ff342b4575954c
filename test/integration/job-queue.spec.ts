import { JobQueue } from '@app/database';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The pg-boss queue as two processes see it: a sender (the api) and a consumer (the worker). */
describe('JobQueue', () => {
  let database: TestDatabase;
  let sender: JobQueue;
  let consumer: JobQueue;

  beforeAll(async () => {
    database = await createTestDatabase();
    sender = new JobQueue({ databaseUrl: database.url });
    consumer = new JobQueue({ databaseUrl: database.url });
    await sender.onModuleInit();
    await consumer.onModuleInit();
  });
  afterAll(async () => {
    await sender.onApplicationShutdown();
    await consumer.onApplicationShutdown();
    await database.drop();
  });

  it("applies the consumer's retry and expiry options to a queue a sender created first", async () => {
    await sender.queue('first-sent');
    // pg-boss' own defaults (pg-boss 12 stores them on the queue; 10 left them null).
    expect(await sender.boss.getQueue('first-sent')).toMatchObject({
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: 900,
    });

    const options = { retryLimit: 2, retryDelay: 2, retryBackoff: true, expireInSeconds: 180 };
    await consumer.queue('first-sent', options);
    expect(await sender.boss.getQueue('first-sent')).toMatchObject(options);

    // Once per process: the sender's later calls change nothing.
    await sender.queue('first-sent');
    expect(await sender.boss.getQueue('first-sent')).toMatchObject(options);
  });
});
