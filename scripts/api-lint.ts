import { buildApiDocument } from './api-document.js';
import { lintApiDocument } from './lint-api-document.js';

// `npm run api:lint`: the lint that test/contract/api-lint.test.ts runs, with its problems listed.
const result = await lintApiDocument(await buildApiDocument());
for (const p of result.problems) console.log(p);
console.log(`${result.errors} errors, ${result.warnings} warnings`);
process.exitCode = result.errors + result.warnings > 0 ? 1 : 0;
