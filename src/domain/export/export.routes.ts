import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { tenantDbOf } from '../../http/request-context.js';
import { exportChurch } from './church-export.js';

/** GET /church/export: the church's whole data as one streamed JSON document (admin only). */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/church/export',
    { config: { permission: 'church:export' }, schema: { tags: ['church'] } },
    async (request, reply) => {
      const db = tenantDbOf(request);
      // The tenant lease is released on onResponse, i.e. after the stream has been fully sent.
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="steeple-export.json"');
      return reply.send(Readable.from(exportChurch(db)));
    },
  );
};
