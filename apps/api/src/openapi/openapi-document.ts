import { STRUCTURED_QUERY_SCHEMA } from '@app/questions';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type ServerObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { addDocumentFormatBounds } from './format-bounds';
import { addProblemResponses } from './problem-responses';
import { addResponseHeaders } from './response-headers';

/**
 * The OpenAPI document, generated from the controllers' decorators and the
 * swagger plugin's metadata (`npm run openapi` regenerates `metadata.ts`,
 * `openapi.json` and the client types; a test fails when they drift).
 */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  // Loaded on use, not at import: `npm run openapi` regenerates the file first, then builds the document.
  // A `require`, not `import()`: in this CommonJS code, `import()` is Node's ES module loader,
  // which neither webpack's bundle nor ts-node resolves extensionless TypeScript files for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: metadata } = require('./metadata') as typeof import('./metadata');
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('Sightline API')
    .setDescription(
      'Analytics API driven by AI agents: upload datasets, run analyses, query metrics and schedule reports. ' +
        'Errors are RFC 9457 problem+json; every response carries X-Request-Id.',
    )
    .setVersion('1.0.0')
    .setLicense('UNLICENSED', 'https://spdx.org/licenses/')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key for machines' },
      'apiKey',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Access token for people, from `POST /v1/auth/login`: a JWS signed with HS256 only (any other `alg`, `none` included, is refused), expiring after `expiresIn` seconds, and accepted only as an access token (`typ`), following the JWT best current practices of RFC8725.',
      },
      'bearer',
    )
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('bearer')
    .addTag('health', 'Liveness and readiness probes')
    .addTag('auth', 'Sign in, refresh a session, and who am I')
    .addTag('api-keys', "The organization's API keys for machines")
    .addTag('users', "The organization's people and their roles")
    .addTag('datasets', 'CSV uploads: stored, typed and profiled; rows, exports and charts')
    .addTag('metrics', 'Time-stamped values with dimensions: writes, lists, series and exports')
    .addTag('analyses', 'Agent-driven analyses of a dataset, records or text')
    .addTag('audit', "The organization's audit trail of sensitive actions")
    .build();
  // Relative, so the document describes whichever deployment serves it; the audience is
  // stated as OWASP's API9 (inventory) asks.
  config.servers = [
    {
      url: '/',
      description: 'This server: the local, staging or production deployment serving this document',
      'x-internal': false,
    } as ServerObject,
  ];
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '').replace(/^./, (first) => first.toLowerCase())}_${methodKey}`,
  });
  // Stated once: questions and analyses' answers refer to it (a schema, not a DTO class).
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.StructuredQuery = STRUCTURED_QUERY_SCHEMA;
  addProblemResponses(document);
  addResponseHeaders(document);
  addDocumentFormatBounds(document);
  return document;
}

/** Serves Swagger UI at `/docs`, the JSON at `/docs-json` and YAML at `/docs-yaml`. */
export async function setupOpenApi(app: NestFastifyApplication): Promise<void> {
  const document = await buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Sightline API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
