/**
 * The application's typed errors.
 *
 * One class, one discriminating `type`: the HTTP layer maps types to status codes in a single
 * error middleware, the CLI prints `message` on one line, and workers decide on retries by type.
 * Internal failures stay plain `Error`s so their details are never shown to API callers.
 */

export const APP_ERROR_TYPES = [
  'invalid_data',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'unprocessable',
  'payload_too_large',
  'rate_limited',
  'unavailable',
] as const;

export type AppErrorType = (typeof APP_ERROR_TYPES)[number];

export class AppError extends Error {
  readonly type: AppErrorType;
  /** Structured, caller-safe details (e.g. which fields failed validation). */
  readonly details: unknown;
  /** The CLI prints user-facing errors as one line instead of a stack trace. */
  readonly userFacing = true;

  constructor(type: AppErrorType, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.type = type;
    this.details = details;
  }

  toJSON(): { error: { type: AppErrorType; message: string; details?: unknown } } {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * A bad configuration value. Thrown once at start-up; the message names the variable and is
 * meant to be printed as is (`gongpei: DATABASE_URL: …`), with exit code 78 (EX_CONFIG).
 */
export class ConfigError extends Error {
  readonly variable: string;
  readonly userFacing = true;
  readonly exitCode = 78;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
