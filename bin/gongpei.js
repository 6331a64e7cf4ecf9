#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so `npx gongpei …` works in a fresh
// clone right after `npm install`, with no build step that could go stale.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
