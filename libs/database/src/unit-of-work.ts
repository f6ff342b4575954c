import type { EntityManager } from 'typeorm';

/**
 * A transaction in progress, passed down from the code that opened it so that writes of
 * several repositories (or modules) commit together. Services hand it on and never run
 * statements on it themselves: only repositories do.
 */
export type UnitOfWork = EntityManager;
