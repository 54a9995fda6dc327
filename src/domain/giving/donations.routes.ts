import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, pageBody, paging } from '../route-helpers.js';
import { reverseDonation } from './donation-reversal.service.js';
import {
  CreateDonationBody,
  Donation,
  DonationListQuery,
  ReverseDonationBody,
  UpdateDonationBody,
} from './donations.schemas.js';
import * as donations from './donations.service.js';

const tags = ['giving'];

/** /donations: gifts to one fund or split across funds; corrections are reversals. */
export const donationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/donations',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'listDonations',
        summary: 'List donations',
        tags,
        querystring: DonationListQuery,
        response: { 200: PageEnvelope(Donation) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      const page = await donations.listDonations(tenantDbOf(request), { ...request.query, ...p });
      return pageBody(page, p.limit);
    },
  );

  app.post(
    '/donations',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'createDonation',
        summary: 'Record a donation',
        description: 'To one fund (`fundId` + `amountCents`) or split across funds (`splits`), never both.',
        tags,
        body: CreateDonationBody,
        response: { 201: DataEnvelope(Donation), ...problems(404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await donations.createDonation(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/donations/:id',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'getDonation',
        summary: 'Get a donation',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Donation) },
      },
    },
    async (request) => ({ data: await donations.getDonation(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/donations/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'updateDonation',
        summary: 'Change a donation in an open batch',
        tags,
        params: IdParams,
        body: UpdateDonationBody,
        response: { 200: DataEnvelope(Donation), ...problems(409) },
      },
    },
    async (request) => ({
      data: await donations.updateDonation(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  app.delete(
    '/donations/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'deleteDonation',
        summary: 'Delete a donation in an open batch',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await donations.deleteDonation(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.post(
    '/donations/:id/reverse',
    {
      config: { permission: 'giving:write' },
      // The body is optional: an empty POST reverses with the original's date and no batch.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        operationId: 'reverseDonation',
        summary: 'Reverse a donation',
        description:
          'Records a negative donation that cancels it (the body is optional: by default dated like ' +
          "the original, so that year's statement nets to zero).",
        tags,
        params: IdParams,
        body: ReverseDonationBody,
        response: { 201: DataEnvelope(Donation), ...problems(409) },
      },
    },
    async (request, reply) => {
      const reversal = await reverseDonation(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      );
      reply.status(201);
      return { data: reversal };
    },
  );
};
