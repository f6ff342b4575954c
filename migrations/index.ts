import type { MigrationInterface } from 'typeorm';
import { Reports1796700000000 } from './1796700000000-Reports';
import { Questions1796665595100 } from './1796665595100-Questions';
import { QuestionUsage1796690000000 } from './1796690000000-QuestionUsage';
import { AnalysisMaxAnomalies1796626291376 } from './1796626291376-AnalysisMaxAnomalies';
import { AnalysisErrorCode1796607677897 } from './1796607677897-AnalysisErrorCode';
import { ListTimeIndexes1796604030578 } from './1796604030578-ListTimeIndexes';
import { AnalysisHeartbeat1796013783093 } from './1796013783093-AnalysisHeartbeat';
import { AnalysisEvents1795660932489 } from './1795660932489-AnalysisEvents';
import { Analyses1795658937048 } from './1795658937048-Analyses';
import { SeriesBucketStatistics1795656900000 } from './1795656900000-SeriesBucketStatistics';
import { IdempotencyKeys1795656227927 } from './1795656227927-IdempotencyKeys';
import { Metrics1795655513379 } from './1795655513379-Metrics';
import { Datasets1795643986769 } from './1795643986769-Datasets';
import { AuthAndAudit1795636243692 } from './1795636243692-AuthAndAudit';

/**
 * Every migration, oldest first. `npm run migration:generate -- <Name>` writes
 * a new file here and this list must name it (a unit test checks that).
 * Listing classes, not a glob, keeps migrations inside the bundled build.
 */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  AuthAndAudit1795636243692,
  Datasets1795643986769,
  Metrics1795655513379,
  IdempotencyKeys1795656227927,
  SeriesBucketStatistics1795656900000,
  Analyses1795658937048,
  AnalysisEvents1795660932489,
  AnalysisHeartbeat1796013783093,
  ListTimeIndexes1796604030578,
  AnalysisErrorCode1796607677897,
  AnalysisMaxAnomalies1796626291376,
  Questions1796665595100,
  QuestionUsage1796690000000,
  Reports1796700000000,
];
