import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { batchRoutes } from './batches.routes.js';
import { donationRoutes } from './donations.routes.js';
import { fundRoutes } from './funds.routes.js';
import { statementRoutes } from './statements.routes.js';

/** Every giving route: funds, batches, donations and statements (finance and admin). */
export const givingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(fundRoutes);
  await app.register(batchRoutes);
  await app.register(donationRoutes);
  await app.register(statementRoutes);
};
