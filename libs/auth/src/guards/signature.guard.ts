import { type Principal, SIGNATURE_REQUIRED, type SignatureRequirement } from '@app/access';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestSignatureService, type SignedRequest } from '../services/request-signature.service';

/** On `@RequireSignature()` routes, API-key callers must sign; people (JWT) need not. */
@Injectable()
export class SignatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly signatures: RequestSignatureService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.get<SignatureRequirement | undefined>(
      SIGNATURE_REQUIRED,
      context.getHandler(),
    );
    if (requirement === undefined) return true;
    const request = context
      .switchToHttp()
      .getRequest<SignedRequest & { user?: Principal; body?: unknown }>();
    const principal = request.user;
    if (principal?.kind !== 'apiKey') return true;
    if (requirement.when !== undefined && !requirement.when(request.body)) return true;
    await this.signatures.verify(request, principal);
    return true;
  }
}
