/**
 * `npm run openapi`: regenerates, from the code, the three committed API artefacts:
 *   apps/api/src/openapi/metadata.ts  swagger plugin metadata (types and TSDoc of DTOs/controllers)
 *   openapi.json                      the OpenAPI document
 *   libs/client/src/schema.d.ts       TypeScript types for openapi-fetch clients
 * `npm run openapi:check` writes nothing and exits 1 if any of them differs.
 */
import { loadConfig } from '@app/config';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ApiModule } from '../apps/api/src/api.module';
import { buildOpenApiDocument } from '../apps/api/src/openapi/openapi-document';

const root = join(__dirname, '..');
const METADATA_DIR = join(root, 'apps/api/src/openapi');
const OPENAPI_FILE = join(root, 'openapi.json');
const SCHEMA_FILE = join(root, 'libs/client/src/schema.d.ts');

function generateMetadata(outputDir: string): string {
  new PluginMetadataGenerator().generate({
    visitors: [
      new ReadonlyVisitor({
        introspectComments: true,
        pathToSource: METADATA_DIR,
        classValidatorShim: true,
        dtoFileNameSuffix: ['.dto.ts'],
        controllerFileNameSuffix: ['.controller.ts'],
      }),
    ],
    outputDir,
    filename: 'metadata.ts',
    tsconfigPath: 'apps/api/tsconfig.app.json',
    printDiagnostics: false,
  });
  // The generator writes import paths relative to outputDir; normalise them to METADATA_DIR's.
  const generated = readFileSync(join(outputDir, 'metadata.ts'), 'utf8');
  const relativeBase = relative(METADATA_DIR, outputDir);
  const normalised = relativeBase === '' ? generated : generated.split(`${relativeBase}/`).join('');
  // Generated code: its unused locals are the generator's business, not the type checker's.
  return `// @ts-nocheck\n${normalised}`;
}

async function generateDocument(): Promise<string> {
  // Preview mode builds the module graph without instantiating providers: no database needed.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, { databaseUrl: 'postgresql://unused@127.0.0.1:1/unused' }),
    new FastifyAdapter(),
    { preview: true, logger: false },
  );
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  const document = await buildOpenApiDocument(app);
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

// openapi-typescript's CommonJS build exports the generator as `default` at run time;
// its typings declare `export =`, which does not describe that build.
interface OpenApiTypescript {
  default: (source: object) => Promise<unknown[]>;
  astToString: (nodes: unknown[]) => string;
  COMMENT_HEADER: string;
}

async function generateSchema(document: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see OpenApiTypescript
  const generator = require('openapi-typescript') as OpenApiTypescript;
  const nodes = await generator.default(JSON.parse(document) as object);
  return `${generator.COMMENT_HEADER}${generator.astToString(nodes)}`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const scratch = mkdtempSync(join(tmpdir(), 'sightline-openapi-'));
  try {
    const metadata = generateMetadata(check ? scratch : METADATA_DIR);
    const document = await generateDocument();
    const schema = await generateSchema(document);

    const artefacts: Array<[string, string]> = [
      [join(METADATA_DIR, 'metadata.ts'), metadata],
      [OPENAPI_FILE, document],
      [SCHEMA_FILE, schema],
    ];
    if (!check) {
      for (const [file, content] of artefacts) writeFileSync(file, content);
      console.log(`Wrote ${artefacts.map(([file]) => relative(root, file)).join(', ')}`);
      return;
    }
    const stale = artefacts.filter(
      ([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content,
    );
    if (stale.length > 0) {
      console.error(
        `Out of date with the code: ${stale.map(([file]) => relative(root, file)).join(', ')}. Run \`npm run openapi\` and commit the result.`,
      );
      process.exitCode = 1;
      return;
    }
    console.log('openapi.json, client types and plugin metadata match the code');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
