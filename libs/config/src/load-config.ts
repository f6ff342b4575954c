import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ENVIRONMENT_VARIABLES,
  environmentSchema,
  type LlmProvider,
  NODE_ENVIRONMENTS,
  type NodeEnvironment,
} from './config.schema';
import { defaultsFor } from './config.defaults';
import type { AppConfig, JwtSecretSource } from './app-config';
import { toAppConfig } from './config.mapping';
import { type Environment, llmProblems, productionProblems } from './config.rules';
import { developmentSecretPath, keptSecret, perStartSecret } from './development-secret';

/** Thrown when the environment does not describe a runnable service; lists every problem. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function isNodeEnvironment(value: string | undefined): value is NodeEnvironment {
  return (NODE_ENVIRONMENTS as readonly string[]).includes(value ?? '');
}

/**
 * Resolves each variable from `NAME` or from the file named by `NAME_FILE`
 * (Docker and Kubernetes secrets), never both. Empty values count as unset.
 */
function readVariables(environment: Environment, problems: string[]): Environment {
  const values: Environment = {};
  for (const name of ENVIRONMENT_VARIABLES) {
    const direct = environment[name];
    const filePath = environment[`${name}_FILE`];
    const hasDirect = direct !== undefined && direct !== '';
    const hasFile = filePath !== undefined && filePath !== '';
    if (hasDirect && hasFile) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    if (hasFile) {
      try {
        values[name] = readFileSync(resolve(filePath), 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        // Not `instanceof Error`: errors from Node's own modules fail it inside jest's sandbox.
        const code =
          typeof error === 'object' && error !== null
            ? (error as { code?: unknown }).code
            : undefined;
        const reason = typeof code === 'string' ? code : 'unreadable';
        problems.push(`${name}_FILE: cannot read ${filePath} (${reason})`);
      }
      continue;
    }
    if (hasDirect) values[name] = direct;
  }
  return values;
}

/**
 * Development without `JWT_SECRET`: a random secret, never a published constant. With the
 * embedded database it is kept beside the data, so sessions survive a restart; with an
 * external database there is nowhere of ours to keep it, so it lasts one process.
 */
function developmentJwtSecret(values: Environment, problems: string[]): JwtSecretSource {
  const { NODE_ENV: environment, JWT_SECRET: configured } = values;
  if (configured !== undefined || environment === 'test' || environment === 'production') {
    return 'configured';
  }
  // An unknown NODE_ENV is refused on its own; keep nothing on disk for it.
  if (values.DATABASE_URL !== undefined || environment !== 'development') {
    values.JWT_SECRET = perStartSecret();
    return 'generated-per-start';
  }
  const kept = keptSecret(developmentSecretPath(resolve(values.EMBEDDED_DATABASE_DIR ?? '.')));
  if ('problem' in kept) problems.push(`JWT_SECRET: ${kept.problem}`);
  // On a problem the configuration is refused; a stand-in keeps the schema from adding another.
  values.JWT_SECRET = 'secret' in kept ? kept.secret : perStartSecret();
  return 'generated-kept';
}

/**
 * `LLM_PROVIDER` when it is not set: OpenAI when there is a key for it, else the
 * OpenAI-compatible server when there is a URL, else the builtin model. The reason is
 * quoted in errors, so a surprising choice explains itself.
 */
function inferLlmProvider(values: Environment): { provider: LlmProvider; reason: string } {
  if (values.OPENAI_API_KEY !== undefined) {
    return { provider: 'openai', reason: 'chosen because OPENAI_API_KEY is set' };
  }
  if (values.LLM_BASE_URL !== undefined) {
    return { provider: 'openai-compatible', reason: 'chosen because LLM_BASE_URL is set' };
  }
  return {
    provider: 'builtin',
    reason: 'chosen because neither OPENAI_API_KEY nor LLM_BASE_URL is set',
  };
}

/**
 * Validates the whole environment once and returns the typed configuration,
 * or throws a {@link ConfigValidationError} naming every bad variable.
 */
export function loadConfig(environment: Environment): AppConfig {
  const problems: string[] = [];
  const requested = environment.NODE_ENV === '' ? undefined : environment.NODE_ENV;
  const nodeEnvironment = requested ?? 'development';
  const defaults = defaultsFor(
    isNodeEnvironment(nodeEnvironment) ? nodeEnvironment : 'development',
  );
  const values: Environment = {
    ...defaults,
    NODE_ENV: nodeEnvironment,
    ...readVariables(environment, problems),
  };
  if (requested === undefined) values.NODE_ENV = nodeEnvironment;
  let inferredBecause: string | undefined;
  if (values.LLM_PROVIDER === undefined) {
    const inferred = inferLlmProvider(values);
    values.LLM_PROVIDER = inferred.provider;
    inferredBecause = inferred.reason;
  }

  problems.push(...productionProblems(values));
  problems.push(...llmProblems(values, inferredBecause));
  const jwtSecretSource = developmentJwtSecret(values, problems);
  const parsed = environmentSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'environment';
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      problems.push(`${name}: ${message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigValidationError(problems);
  return toAppConfig(parsed.data, jwtSecretSource);
}
