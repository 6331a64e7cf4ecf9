/**
 * The configuration tests run with, parsed by the config module like the service's: the
 * defaults plus what a test overrides (never the machine's environment, so a developer's
 * DATABASE_URL or CUTOFF cannot change a test). Tool settings (TEST_POSTGRES_URL,
 * TEST_REDIS_URL, …) come from `getToolSettings()`.
 */
import { getToolSettings, loadConfig, type Config, type Environment } from '../../src/config.ts';
import { daySettings } from '../../src/planning/day-model.ts';

export function testConfig(overrides: Environment = {}): Config {
  return loadConfig(overrides);
}

/** The default day: 06:00 cut-off, 60 min sorting, Asia/Shanghai. */
export const TEST_SETTINGS = daySettings(testConfig());

/** Redis for tests (TEST_REDIS_URL, default redis://127.0.0.1:6379). */
export const TEST_REDIS_URL = getToolSettings().TEST_REDIS_URL;
