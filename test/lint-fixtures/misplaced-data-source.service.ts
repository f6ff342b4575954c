import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A service that runs its own SQL: what the database-access lint rule exists to refuse.
 * Never imported; scripts/lint-rules.spec.ts lints it and expects the errors.
 */
@Injectable()
export class MisplacedDataSourceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(organizationId: string): Promise<number> {
    const rows = await this.dataSource.query<Array<{ count: number }>>(
      'SELECT count(*)::int AS count FROM datasets WHERE organization_id = $1',
      [organizationId],
    );
    return rows[0]?.count ?? 0;
  }
}
