import { CreateDateColumn } from 'typeorm';

/** The `created_at` column every table has: set by the database on insert. */
export function CreatedAtColumn(): PropertyDecorator {
  return CreateDateColumn({ name: 'created_at', type: 'timestamptz' });
}
