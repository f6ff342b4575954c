import type { OrganizationId } from '@app/tenancy';
import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AnalysisEventEntity, type AnalysisEventType } from '../entities/analysis-event.entity';

/** The channel `append` notifies, with the analysis id as payload. */
export const ANALYSIS_EVENTS_CHANNEL = 'analysis_events';

/**
 * The event log of analyses (see {@link AnalysisEventEntity}), always within one
 * organization: an event row has no organization of its own, so every statement goes
 * through its analysis' row, and an analysis of another organization has no events.
 */
@Injectable()
export class AnalysisEventsRepository {
  constructor(
    @InjectRepository(AnalysisEventEntity) private readonly events: Repository<AnalysisEventEntity>,
  ) {}

  /** Appends an event (nothing when the organization has no such analysis). */
  async append(
    organizationId: OrganizationId,
    analysisId: string,
    type: AnalysisEventType,
    data: Record<string, unknown>,
    work: UnitOfWork = this.events.manager,
  ): Promise<void> {
    // One statement: the NOTIFY is sent with the transaction that inserts the row, so a
    // listener that hears it can read the event (see AnalysisStreamService).
    await work.query(
      `WITH event AS (
         INSERT INTO analysis_events (analysis_id, type, data)
         SELECT id, $3, $4::jsonb FROM analyses WHERE organization_id = $1 AND id = $2
         RETURNING analysis_id
       )
       SELECT pg_notify('${ANALYSIS_EVENTS_CHANNEL}', analysis_id::text) FROM event`,
      [organizationId, analysisId, type, JSON.stringify(data)],
    );
  }

  /** The id of the analysis' newest event ('0' when it has none). */
  async lastId(organizationId: OrganizationId, analysisId: string): Promise<string> {
    const rows = await this.events.query<Array<{ id: string | null }>>(
      `SELECT max(event.id)::text AS id
       FROM analysis_events event JOIN analyses analysis ON analysis.id = event.analysis_id
       WHERE analysis.organization_id = $1 AND event.analysis_id = $2`,
      [organizationId, analysisId],
    );
    return rows[0]?.id ?? '0';
  }

  /** Events of an analysis after `afterId` (exclusive), oldest first. */
  after(
    organizationId: OrganizationId,
    analysisId: string,
    afterId: string,
  ): Promise<AnalysisEventEntity[]> {
    return this.events
      .createQueryBuilder('event')
      .innerJoin('event.analysis', 'analysis', 'analysis.organization_id = :organizationId', {
        organizationId,
      })
      .where('event.analysis_id = :analysisId AND event.id > :afterId', { analysisId, afterId })
      .orderBy('event.id', 'ASC')
      .limit(500)
      .getMany();
  }
}
