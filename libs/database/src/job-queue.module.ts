import { type DynamicModule, Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';

/** The job queue for every module of the process (sending is not only for workers). */
@Global()
@Module({})
export class JobQueueModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: JobQueueModule,
      providers: [{ provide: JobQueue, useFactory: () => new JobQueue({ databaseUrl }) }],
      exports: [JobQueue],
    };
  }
}
