import { runHousekeeping } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { SignatureNoncesRepository } from '../repositories/signature-nonces.repository';

const EVERY_MS = 600 * 1000;

/**
 * Deletes request-signature nonces past the timestamp window every 10 minutes: a request
 * that old is refused on its timestamp anyway, so its nonce no longer needs remembering.
 */
@Injectable()
export class SignatureNoncePrunerJob {
  private readonly logger = new Logger(SignatureNoncePrunerJob.name);

  constructor(private readonly nonces: SignatureNoncesRepository) {}

  @Interval('signature-nonce-pruner', EVERY_MS)
  async runOnce(): Promise<void> {
    await runHousekeeping(this.logger, 'expired signature nonces', () =>
      this.nonces.deleteExpired(new Date()),
    );
  }
}
