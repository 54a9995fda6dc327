#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so the CLI is never out of step with src/.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
