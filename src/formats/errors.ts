/** A malformed or unsupported instance file: the CLI prints the message, not a stack. */
export class InstanceFormatError extends Error {
  readonly userFacing = true;
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InstanceFormatError';
  }
}

/** Splits a file into trimmed, non-empty lines (the benchmark files use CRLF). */
export function contentLines(text: string): string[] {
  return text.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Parses whitespace-separated numbers, rejecting anything that is not a finite number. */
export function numbersOf(line: string, what: string): number[] {
  const out = line.split(/\s+/).map(Number);
  if (out.some((v) => !Number.isFinite(v))) throw new InstanceFormatError(`${what}: expected numbers, got "${line}"`);
  return out;
}
