import type { OrganizationId } from '@app/tenancy';
import type { AppConfig } from '@app/config';
import { buildDataSourceOptions, LongConnections } from '@app/database';
import { DatasetEntity } from '@app/datasets';
import { QuestionEntity } from '@app/questions';
import { OrganizationEntity } from '@app/tenancy';
import { DataSource } from 'typeorm';
import { AnalysisEventEntity } from '../../libs/analysis/src/entities/analysis-event.entity';
import { AnalysisEntity } from '../../libs/analysis/src/entities/analysis.entity';
import { AuditEventEntity } from '../../libs/audit/src/entities/audit-event.entity';
import { ApiKeyEntity } from '../../libs/auth/src/entities/api-key.entity';
import { RefreshTokenEntity } from '../../libs/auth/src/entities/refresh-token.entity';
import { SignatureNonceEntity } from '../../libs/auth/src/entities/signature-nonce.entity';
import { UserEntity } from '../../libs/auth/src/entities/user.entity';
import { ReportDeliveryEntity } from '../../libs/reports/src/entities/report-delivery.entity';
import { ReportDocumentEntity } from '../../libs/reports/src/entities/report-document.entity';
import { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import { ReportEntity } from '../../libs/reports/src/entities/report.entity';
import { DataFactory } from './data-factory';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

/** The entities the repositories under test map (others' specs add theirs). */
const ENTITIES = [
  OrganizationEntity,
  DatasetEntity,
  AnalysisEntity,
  AnalysisEventEntity,
  QuestionEntity,
  UserEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  SignatureNonceEntity,
  AuditEventEntity,
  ReportEntity,
  ReportRunEntity,
  ReportDocumentEntity,
  ReportDeliveryEntity,
];

/**
 * What a repository spec needs: a database of its own (cloned from the migrated template),
 * a DataSource on it, the long-connection slots some repositories stream on, and a
 * factory of valid rows. No app is booted.
 */
export interface RepositoryDatabase {
  database: TestDatabase;
  config: AppConfig;
  dataSource: DataSource;
  connections: LongConnections;
  factory: DataFactory;
  close(): Promise<void>;
}

export async function repositoryDatabase(
  env: Record<string, string> = {},
): Promise<RepositoryDatabase> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...env });
  const dataSource = new DataSource({
    ...buildDataSourceOptions(config.database, database.url, 'sightline-test'),
    entities: ENTITIES,
  });
  await dataSource.initialize();
  const connections = new LongConnections(config, dataSource);
  return {
    database,
    config,
    dataSource,
    connections,
    factory: new DataFactory(dataSource, connections),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** {@link repositoryDatabase} with two organizations: the one under test's, and another. */
export async function repositoryDatabaseOfTwo(): Promise<{
  db: RepositoryDatabase;
  org: OrganizationId;
  other: OrganizationId;
}> {
  const db = await repositoryDatabase();
  const [org, other] = await Promise.all([
    db.factory.newOrganization(),
    db.factory.newOrganization(),
  ]);
  return { db, org, other };
}
