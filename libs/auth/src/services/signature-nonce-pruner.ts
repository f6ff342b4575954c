import { Housekeeping } from '@app/common';
import { Injectable } from '@nestjs/common';
import { SignatureNoncesRepository } from '../repositories/signature-nonces.repository';

/**
 * Deletes request-signature nonces past the timestamp window every 10 minutes: a request
 * that old is refused on its timestamp anyway, so its nonce no longer needs remembering.
 */
@Injectable()
export class SignatureNoncePruner extends Housekeeping {
  constructor(private readonly nonces: SignatureNoncesRepository) {
    super('expired signature nonces', 600 * 1000);
  }

  protected clean(): Promise<number> {
    return this.nonces.deleteExpired(new Date());
  }
}
