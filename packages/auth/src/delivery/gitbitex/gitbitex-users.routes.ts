import { Type } from '@sinclair/typebox';
import { authErrors } from '@sd/domain/auth/errors';
import { defineRoute, type ApiRoute } from '@sd/http/api-route';
import { Nullable } from '@sd/http/schema-types';
import type { AccountView } from '../../usecase/account.usecase';
import { Credentials, logOutRoute, usersApiGuards, type AuthRoutesDeps } from '../http/auth.routes';

const Time = Type.String({ description: 'ISO-8601 UTC' });
const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String({ description: "the display name (the page's nickname)" })),
  profilePhoto: Nullable(Type.String({ description: 'the avatar URL' })),
  createdAt: Time,
});
const Text = Type.String({ maxLength: 2048 });

/**
 * The users API as gitbitex-web calls it (mounted by an app under `/api`): sign-up, log-in
 * (the `accessToken` cookie, and the token itself as the JSON body: the page stores the body
 * and sends it as the WebSocket's `token`, the only way a socket opened before sign-in becomes
 * the user's), log-out, the profile (`name`, `profilePhoto`) and password change. Password
 * reset and photo uploads answer that they are not available. Same use cases, limits and
 * errors as the Coinbase-style users API (`authRoutes`).
 */
export function gitbitexUsersRoutes(deps: Omit<AuthRoutesDeps, 'apiKeys'>): ApiRoute[] {
  const { accounts } = deps;
  const guards = usersApiGuards(deps);
  const { perIp, anonymous, signedIn, cookie } = guards;
  const tags = ['gitbitex users'];
  const unavailable = (method: 'GET' | 'POST', path: string, summary: string, error: () => Error): ApiRoute =>
    defineRoute({
      method,
      path,
      summary,
      tags,
      security: 'public',
      schema: {},
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        throw error();
      },
    });

  return [
    defineRoute({
      method: 'POST',
      path: '/users',
      summary: 'Sign up',
      tags,
      security: 'public',
      status: 201,
      schema: { body: Credentials, response: User },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        return userJson(await accounts.signUp(request.body));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/accessToken',
      summary: 'Log in: the access token as the body (a JSON string) and as the httpOnly accessToken cookie',
      tags,
      security: 'public',
      schema: { body: Credentials, response: Type.String({ description: 'the access token' }) },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        const pair = await accounts.logIn(request.body);
        reply.headers['set-cookie'] = cookie.set(request, pair.accessToken);
        return pair.accessToken;
      },
    }),
    logOutRoute(accounts, guards, tags),
    defineRoute({
      method: 'GET',
      path: '/users/self',
      summary: 'The signed-in user, with the profile the page shows',
      tags,
      security: 'signed-in',
      schema: { response: User },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return userJson(await accounts.currentUser(await signedIn(request, reply.headers)));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/password',
      summary: 'Change the password, given the current one',
      tags,
      security: 'signed-in',
      schema: { body: Type.Object({ oldPassword: Text, newPassword: Text }) },
      handle: async (request, reply) => {
        await anonymous(request.ip, reply.headers);
        const { oldPassword, newPassword } = request.body;
        await accounts.changePassword(await signedIn(request, reply.headers), { currentPassword: oldPassword, newPassword });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/name',
      summary: 'Set the display name (empty clears it)',
      tags,
      security: 'signed-in',
      schema: { body: Type.Object({ name: Text }), response: User },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return userJson(await accounts.updateProfile(await signedIn(request, reply.headers), { name: request.body.name }));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/profilePhoto',
      summary: 'Set the avatar by its http(s) URL (empty clears it)',
      tags,
      security: 'signed-in',
      schema: { body: Type.Object({ profilePhotoUrl: Text }), response: User },
      handle: async (request, reply) => {
        await perIp(request.ip, reply.headers);
        return userJson(await accounts.updateProfile(await signedIn(request, reply.headers), { profilePhotoUrl: request.body.profilePhotoUrl }));
      },
    }),
    unavailable('POST', '/verifyCodes/restPassword', 'Password reset by email: not available (the exchange sends no email)', authErrors.passwordResetUnavailable),
    unavailable('POST', '/users/password/reset', 'Password reset by email: not available (the exchange sends no email)', authErrors.passwordResetUnavailable),
    unavailable('GET', '/files/url', 'Photo upload: not available (a profile takes a photo URL)', authErrors.uploadUnavailable),
  ];
}

/** `name` is the page's nickname, `profilePhoto` its avatar. */
const userJson = (account: AccountView) => ({
  id: account.id,
  email: account.email,
  name: account.name,
  profilePhoto: account.profilePhotoUrl,
  createdAt: new Date(account.createdAt).toISOString(),
});
