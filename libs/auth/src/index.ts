export { AuthCoreModule, AuthModule } from './auth.module';
export { SignatureNoncePrunerJob } from './jobs/signature-nonce-pruner.job';
export { ApiKeysService } from './services/api-keys.service';
export { generateApiKey, sha256Hex, signingKeyOf } from './services/credentials';
export {
  type CreatedOrganization,
  OrganizationBootstrapService,
  type OrganizationSummary,
} from './services/organization-bootstrap.service';
export { signingPayload, signPayload } from './services/request-signature.service';
