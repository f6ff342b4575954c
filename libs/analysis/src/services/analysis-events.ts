import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AnalysisEventEntity, type AnalysisEventType } from '../entities/analysis-event.entity';

/** The event log of analyses (see {@link AnalysisEventEntity}). */
@Injectable()
export class AnalysisEvents {
  constructor(
    @InjectRepository(AnalysisEventEntity) private readonly events: Repository<AnalysisEventEntity>,
  ) {}

  async append(
    analysisId: string,
    type: AnalysisEventType,
    data: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<void> {
    const target = manager ?? this.events.manager;
    await target.query(
      'INSERT INTO analysis_events (analysis_id, type, data) VALUES ($1, $2, $3::jsonb)',
      [analysisId, type, JSON.stringify(data)],
    );
  }

  /** Events of an analysis after `afterId` (exclusive), oldest first. */
  after(analysisId: string, afterId: string): Promise<AnalysisEventEntity[]> {
    return this.events
      .createQueryBuilder('event')
      .where('event.analysis_id = :analysisId AND event.id > :afterId', { analysisId, afterId })
      .orderBy('event.id', 'ASC')
      .limit(500)
      .getMany();
  }
}
