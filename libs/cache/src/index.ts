export { CacheInfraModule } from './cache-infra.module';
