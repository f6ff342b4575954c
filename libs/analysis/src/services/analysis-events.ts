import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AnalysisEventEntity, type AnalysisEventType } from '../entities/analysis-event.entity';

/** The channel `append` notifies, with the analysis id as payload. */
export const ANALYSIS_EVENTS_CHANNEL = 'analysis_events';

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
    // One statement: the NOTIFY is sent with the transaction that inserts the row, so a
    // listener that hears it can read the event (see AnalysisStream).
    await target.query(
      `WITH event AS (
         INSERT INTO analysis_events (analysis_id, type, data) VALUES ($1, $2, $3::jsonb)
         RETURNING analysis_id
       )
       SELECT pg_notify('${ANALYSIS_EVENTS_CHANNEL}', analysis_id::text) FROM event`,
      [analysisId, type, JSON.stringify(data)],
    );
  }

  /** The id of the analysis' newest event ('0' when it has none). */
  async lastId(analysisId: string): Promise<string> {
    const rows = await this.events.query<Array<{ id: string | null }>>(
      'SELECT max(id)::text AS id FROM analysis_events WHERE analysis_id = $1',
      [analysisId],
    );
    return rows[0]?.id ?? '0';
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
