/**
 * `gongpei` command line. Each subcommand lives in `src/cli/commands/<name>.ts` and exports
 * `register(program)`. Command modules keep their heavy imports (express, bullmq, the solver)
 * inside the action, so `gongpei network show` does not pay for loading a web server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { exitOnError } from './exit.ts';

export interface CommandModule {
  register(program: Command): void;
}

const COMMANDS = ['db', 'network', 'solve', 'serve', 'worker', 'demo', 'keys', 'drivers', 'plan'] as const;

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('gongpei')
  .description('共配 gongpei: rural three-tier co-delivery routing (county warehouse → township centres → village stations)')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

for (const name of COMMANDS) {
  const file = new URL(`./commands/${name}.ts`, import.meta.url);
  if (!existsSync(file)) continue;
  const mod = (await import(file.href)) as CommandModule;
  mod.register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Typed, expected failures (bad config, bad input file, a service or set-up step missing: see
  // src/setup-checks.ts) print one line; anything else a stack.
  exitOnError(err, 'gongpei');
}
