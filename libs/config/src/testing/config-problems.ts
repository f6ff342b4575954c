import { ConfigValidationError, loadConfig } from '../load-config';

/** An environment as a test writes it (unset variables may be left out or undefined). */
export type Environment = Record<string, string | undefined>;

/** The error loadConfig throws for `environment`; fails the test if it does not throw one. */
export function rejectionOf(environment: Environment): ConfigValidationError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to reject the environment');
}

/** The problems loadConfig names for `environment`, one line per variable. */
export function problemsOf(environment: Environment): string[] {
  return rejectionOf(environment).problems;
}
