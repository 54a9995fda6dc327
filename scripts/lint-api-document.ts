import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

export interface LintResult {
  errors: number;
  warnings: number;
  /** Each problem as `severity rule: message (where)`. */
  problems: string[];
}

interface RedoclyProblem {
  severity: string;
  ruleId: string;
  message: string;
  location?: Array<{ pointer?: string }>;
}

/** Redocly CLI's lint of `doc` with the repository's redocly.yaml (its recommended set, as amended there). */
export async function lintApiDocument(doc: Record<string, unknown>): Promise<LintResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-api-lint-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  try {
    // Exit code 1 only says "errors found": the JSON report is read either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        REDOCLY,
        'lint',
        file,
        '--config',
        path.join(ROOT, 'redocly.yaml'),
        '--format=json',
        '--max-problems=1000',
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: RedoclyProblem[];
    };
    return {
      errors: report.totals.errors,
      warnings: report.totals.warnings,
      problems: report.problems.map(
        (p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer ?? ''})`,
      ),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
