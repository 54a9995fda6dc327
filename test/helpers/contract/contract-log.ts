import type { CheckResult } from './api-contract.js';

/** What the contract checks of this test file found: violations, and the operations answered 2xx. */
const violations: string[] = [];
const succeeded = new Set<string>();
let operations: string[] = [];

/** Records one checked answer. */
export function recordCheck(result: CheckResult, status: number, allOperations: () => string[]): void {
  violations.push(...result.violations);
  if (result.operation && status >= 200 && status < 300) succeeded.add(result.operation);
  if (operations.length === 0) operations = allOperations();
}

/** Records a finding outside any one answer (an undeclared hidden route). */
export function recordViolation(message: string): void {
  violations.push(message);
}

/** The violations since the last call (the setup file fails the test that produced them). */
export function takeViolations(): string[] {
  return violations.splice(0);
}

/** This file's share of the coverage check: the operations it saw succeed, and all of them. */
export function coverage(): { succeeded: string[]; operations: string[] } {
  return { succeeded: [...succeeded].sort(), operations };
}
