import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { answerSession, SessionWithCookie } from '../../auth/auth.routes.js';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { IdParams, pageBody, paging } from '../route-helpers.js';
import {
  InviteAcceptance,
  InviteDetails,
  InviteInput,
  InviteSchema,
  InviteTokenInput,
  ListInvitesQuery,
} from './invites.schemas.js';
import type { InviteActor, StaffInvites } from './invites.service.js';

const tags = ['users'];
const config = { permission: 'users:manage' as const };

function actor(request: FastifyRequest): InviteActor {
  const auth = authOf(request);
  return { userId: auth.userId, tenantId: auth.tenantId, requestId: request.id };
}

/** /invites: admins invite staff by email, list and withdraw invites (tenant scope). */
export const inviteAdminRoutes: FastifyPluginAsyncTypebox<{ invites: StaffInvites }> = async (
  app,
  { invites },
) => {
  app.post(
    '/invites',
    {
      config,
      schema: {
        operationId: 'createInvite',
        summary: 'Invite a staff member by email',
        description:
          'Emails a link, `PUBLIC_URL/accept-invite#token=...`, valid 7 days. Inviting the same address again replaces the old link; the same invite again within a minute sends nothing new.',
        tags,
        body: InviteInput,
        response: { 201: DataEnvelope(InviteSchema), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await invites.invite(tenantDbOf(request), actor(request), request.body) };
    },
  );

  app.get(
    '/invites',
    {
      config,
      schema: {
        operationId: 'listInvites',
        summary: 'List staff invites',
        tags,
        querystring: ListInvitesQuery,
        response: { 200: PageEnvelope(InviteSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await invites.list(tenantDbOf(request), p), p.limit);
    },
  );

  app.delete(
    '/invites/:id',
    {
      config,
      schema: {
        operationId: 'revokeInvite',
        summary: 'Withdraw a staff invite (its link stops working)',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await invites.revoke(tenantDbOf(request), actor(request), request.params.id);
      reply.status(204).send();
    },
  );
};

/** The accept screen's routes: public, the emailed token in the body (never in a URL). */
export const invitePublicRoutes: FastifyPluginAsyncTypebox<{
  invites: StaffInvites;
  secureCookies: boolean;
}> = async (app, { invites, secureCookies }) => {
  // Accepting answers like a login, browser refresh cookie included.
  await app.register(cookie);
  app.post(
    '/invites/inspect',
    {
      schema: {
        operationId: 'inspectInvite',
        summary: 'Show an invite before accepting it',
        tags,
        security: [],
        body: InviteTokenInput,
        response: { 200: DataEnvelope(InviteDetails), ...problems(410) },
      },
    },
    async (request) => ({ data: await invites.inspect(request.body.token) }),
  );

  app.post(
    '/invites/accept',
    {
      schema: {
        operationId: 'acceptInvite',
        summary: 'Accept an invite: choose a name and password, and sign in',
        description: 'Answers like a login. The link works once.',
        tags,
        security: [],
        body: InviteAcceptance,
        response: { 200: SessionWithCookie, ...problems(409, 410) },
      },
    },
    async (request, reply) => {
      const session = await invites.accept(request.body.token, request.body);
      return answerSession(reply, session, request.body.refreshCookie === true, secureCookies);
    },
  );
};
