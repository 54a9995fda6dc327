import fs from 'node:fs';
import path from 'node:path';
import { buildApiDocument } from './api-document.js';
import { API_TYPES_FILE, renderApiTypes } from './render-api-types.js';

// `npm run api:types`: regenerates web/src/api/schema.d.ts from the served document.
const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, API_TYPES_FILE);
const text = await renderApiTypes(await buildApiDocument());
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`wrote ${API_TYPES_FILE} (${text.length} characters)`);
