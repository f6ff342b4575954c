import { Module } from '@nestjs/common';
import { AnalysisModel } from './analysis-model';

/**
 * The process's one configured model, for every feature that runs agents (analyses, and
 * questions asked of a model): one instance, so `LLM_MAX_CONCURRENCY` bounds them together.
 */
@Module({ providers: [AnalysisModel], exports: [AnalysisModel] })
export class AnalysisModelModule {}
