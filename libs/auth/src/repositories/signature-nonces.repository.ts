import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { SignatureNonceEntity } from '../entities/signature-nonce.entity';

@Injectable()
export class SignatureNoncesRepository {
  constructor(
    @InjectRepository(SignatureNonceEntity)
    private readonly nonces: Repository<SignatureNonceEntity>,
  ) {}

  /** Records the nonce; false when this key already used it (a replay). Shared by all replicas. */
  async claim(apiKeyId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const inserted = await this.nonces.query<unknown[]>(
      'INSERT INTO signature_nonces (api_key_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
      [apiKeyId, nonce, expiresAt],
    );
    return inserted.length === 1;
  }

  /** Nonces past the timestamp window can never be accepted again anyway. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.nonces.delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
