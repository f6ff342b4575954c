import { AppConfig } from '@app/config';
import { resolveRequestId } from '@app/common';
import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { serializeError } from './error-serializer';
import { requestTraceIds } from './tracing/http-tracing';

export interface LoggingModuleOptions {
  /** Where log lines go; standard output when absent. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

/**
 * Paths pino replaces with `[redacted]`: credentials in headers and anything
 * that looks like a secret in logged objects, at the top level or one level down.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-signature"]',
  'req.headers["x-csrf-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'passwordHash',
    'token',
    'accessToken',
    'refreshToken',
    'apiKey',
    'key',
    'secret',
    'keyHash',
  ].flatMap((field) => [field, `*.${field}`]),
];

/**
 * JSON lines through pino, one per request with its id; pretty output only
 * where `LOG_PRETTY` asks (the development default).
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingModuleOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            const httpOptions: PinoHttpOptions = {
              level: config.log.level,
              genReqId: (request: IncomingMessage, response: ServerResponse) => {
                const id = resolveRequestId(request);
                response.setHeader('x-request-id', id);
                return id;
              },
              customLogLevel: (_request, response, error) =>
                error !== undefined || response.statusCode >= 500 ? 'error' : 'info',
              // Every line of a request carries its trace: logs and spans join on it.
              // pino-http skips a falsy result; its type says `object` only.
              customProps: (request) => requestTraceIds(request) as object,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              serializers: {
                // Never the values of a failing query: they can be credentials.
                err: serializeError,
                req: (request: {
                  id: string;
                  method: string;
                  url: string;
                  remoteAddress?: string;
                  headers: unknown;
                }) => ({
                  id: request.id,
                  method: request.method,
                  url: request.url,
                  remoteAddress: request.remoteAddress,
                  headers: request.headers,
                }),
              },
              transport: config.log.pretty
                ? { target: 'pino-pretty', options: { singleLine: true, colorize: true } }
                : undefined,
            };
            return {
              pinoHttp: options.destination ? [httpOptions, options.destination] : httpOptions,
            };
          },
        }),
      ],
    };
  }
}
