import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditRoutes } from './audit/audit.routes.js';
import { type ChurchRoutesOptions, churchRoutes } from './church/church.routes.js';
import { customFieldRoutes } from './custom-fields/custom-fields.routes.js';
import { eventRoutes } from './events/events.routes.js';
import { exportRoutes } from './export/export.routes.js';
import { givingRoutes } from './giving/giving.routes.js';
import { groupRoutes } from './groups/groups.routes.js';
import { householdRoutes } from './households/households.routes.js';
import { type ImportRoutesOptions, importRoutes } from './imports/imports.routes.js';
import { peopleRoutes } from './people/people.routes.js';
import { tagRoutes } from './tags/tags.routes.js';

/**
 * Every church-domain route, registered inside the authenticated tenant scope (src/app.ts).
 * Each route declares its permission in `config.permission`.
 */
export type DomainRoutesOptions = ChurchRoutesOptions & ImportRoutesOptions;

export const domainRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions> = async (app, opts) => {
  await app.register(peopleRoutes);
  await app.register(customFieldRoutes);
  await app.register(householdRoutes);
  await app.register(tagRoutes);
  await app.register(groupRoutes);
  await app.register(eventRoutes);
  await app.register(churchRoutes, { onChurchUpdated: opts.onChurchUpdated });
  await app.register(auditRoutes);
  await app.register(givingRoutes);
  await app.register(importRoutes, { startImport: opts.startImport });
  await app.register(exportRoutes);
};
