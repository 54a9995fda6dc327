import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../src/app.js';
import { barePeopleRoutes } from './bare-people.routes.js';

/**
 * Every bench-only route, under `/api/bench/`: baselines without authentication, so they live
 * here and run only in the bench server (bench/server/main.ts), never in the shipped app. A new
 * one is its own `*.routes.ts` file in this folder, registered below.
 */
export const benchRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  await app.register(barePeopleRoutes, { tenants: deps.tenants });
};
