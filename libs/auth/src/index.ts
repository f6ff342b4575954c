export { AuthModule } from './auth.module';
export { SignatureNoncePruner } from './services/signature-nonce-pruner';
export { ApiKeysService } from './services/api-keys.service';
export { generateApiKey, sha256Hex, signingKeyOf } from './services/credentials';
export {
  type CreatedOrganization,
  OrganizationBootstrapService,
  type OrganizationSummary,
} from './services/organization-bootstrap.service';
export { signingPayload, signPayload } from './services/request-signature.service';
