/**
 * How a process entry point (the `gongpei` CLI, workers/main.ts) ends on an error: user-facing
 * errors — typed `AppError`s, `ConfigError`, bad input — as one line `prefix: message` with their
 * exit code; anything else as its stack, exit 1. The CLI's counterpart of http/error-handler.ts.
 */
import { isAppError, type AppErrorType } from '../errors.ts';

/** Exit codes of typed errors (sysexits.h): a service or set-up step missing is EX_UNAVAILABLE. */
const EXIT_CODES: Partial<Record<AppErrorType, number>> = { unavailable: 69 };

export function exitOnError(err: unknown, prefix: string): never {
  const e = err as (Error & { exitCode?: number; userFacing?: boolean }) | null | undefined;
  process.stderr.write(e?.userFacing ? `${prefix}: ${e.message}\n` : `${e?.stack ?? String(err)}\n`);
  process.exit(e?.exitCode ?? (isAppError(err) ? EXIT_CODES[err.type] : undefined) ?? 1);
}
