/**
 * A private redis-server on a given port, for tests and the reliability harness that stop Redis
 * on purpose: outages are played without touching the shared Redis other suites use.
 *
 * Append-only with fsync on every write, so what was written before `stop()` is there again
 * after `start()` even if the server never got to save. A clean-clone CI run lost all 300 jobs of
 * reliability scenario 3 with an RDB-on-shutdown setup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** Servers still running, killed when this process exits so none outlives a crashed run. */
const running = new Set<ChildProcess>();
process.once('exit', () => PrivateRedis.killAll());

export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'gongpei-redis-'));
  #child: ChildProcess | undefined;
  #exit: Promise<void> | undefined;
  constructor(readonly port: number) {}

  static killAll(): void {
    for (const c of running) c.kill('SIGKILL');
    running.clear();
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, with the data it had) and resolves once it answers PING. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    running.add(proc);
    this.#child = proc;
    this.#exit = new Promise((resolve) =>
      proc.once('exit', () => {
        running.delete(proc);
        resolve();
      }),
    );
    const until = Date.now() + 30_000;
    while (!(await this.#answers())) {
      if (proc.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited with code ${proc.exitCode}`);
      if (Date.now() > until) throw new Error(`redis-server on port ${this.port} did not answer within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the server: connections are refused until `start()`. */
  async stop(): Promise<void> {
    const proc = this.#child;
    if (proc === undefined || proc.exitCode !== null) return;
    proc.kill('SIGTERM'); // redis-server flushes the append-only file and exits
    await this.#exit;
    this.#child = undefined;
  }

  async dispose(): Promise<void> {
    const proc = this.#child;
    if (proc !== undefined && proc.exitCode === null) {
      proc.kill('SIGKILL');
      await this.#exit;
    }
    this.#child = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #answers(): Promise<boolean> {
    const c = new Redis({ port: this.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => {});
    try {
      await c.connect();
      // A server still loading its data answers LOADING errors until done.
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  }
}
