import type { Principal } from '@app/access';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiKeysService } from '../services/api-keys.service';

/** `X-API-Key: sl_…` for machines. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    return key === undefined ? null : this.apiKeys.authenticate(key);
  }
}
