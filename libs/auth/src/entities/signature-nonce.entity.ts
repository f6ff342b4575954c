import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A request-signature nonce already accepted for an API key; a second use is a replay. */
@Entity({ name: 'signature_nonces' })
export class SignatureNonceEntity {
  @PrimaryColumn({ name: 'api_key_id', type: 'uuid' })
  apiKeyId!: string;

  @PrimaryColumn({ type: 'text' })
  nonce!: string;

  @Index('signature_nonces_expires_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
