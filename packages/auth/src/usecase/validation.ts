import { PERMISSIONS, type Permission } from '@sd/domain/auth/api-key';
import { invalidInput } from '@sd/domain/errors';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
const EMAIL_MAX = 254;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const LABEL_MAX = 64;
const REFRESH_TOKEN_MAX = 256;

export interface Credentials {
  email: string;
  password: string;
}

/** A JSON object body, or a 400 saying what is wrong. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Sign-up checks the password policy; log-in only that the fields are there. */
export function parseCredentials(body: unknown, { forSignUp }: { forSignUp: boolean }): Credentials {
  const input = objectBody(body);
  const email = requiredString(input, 'email').trim().toLowerCase();
  if (email.length > EMAIL_MAX || !EMAIL.test(email)) throw invalidInput('email is not a valid email address', { field: 'email' });
  const password = requiredString(input, 'password');
  const length = [...password].length;
  if (length > PASSWORD_MAX) throw invalidInput(`password must be at most ${PASSWORD_MAX} characters`, { field: 'password' });
  if (forSignUp) {
    if (length < PASSWORD_MIN) throw invalidInput(`password must be at least ${PASSWORD_MIN} characters`, { field: 'password' });
    if (characterClasses(password) < 2) {
      throw invalidInput('password must mix at least two of: lower case, upper case, digits, other characters', { field: 'password' });
    }
  }
  return { email, password };
}

export function parseRefreshToken(body: unknown): string {
  const token = requiredString(objectBody(body), 'refresh_token');
  if (token.length > REFRESH_TOKEN_MAX) throw invalidInput('refresh_token is too long', { field: 'refresh_token' });
  return token;
}

export interface ApiKeyRequest {
  permissions: Permission[];
  label: string;
}

/** `permissions`: a non-empty subset of view/trade (default `["view"]`); `label`: optional text. */
export function parseApiKeyRequest(body: unknown): ApiKeyRequest {
  const input = body === undefined ? {} : objectBody(body);
  let permissions: Permission[] = ['view'];
  if (input.permissions !== undefined) {
    const given = input.permissions;
    if (!Array.isArray(given) || given.length === 0 || !given.every((p): p is Permission => PERMISSIONS.includes(p as Permission))) {
      throw invalidInput(`permissions must be a non-empty array of ${PERMISSIONS.join(', ')}`, { field: 'permissions' });
    }
    permissions = PERMISSIONS.filter((p) => given.includes(p));
  }
  let label = '';
  if (input.label !== undefined) {
    if (typeof input.label !== 'string' || [...input.label].length > LABEL_MAX || /\p{Cc}/u.test(input.label)) {
      throw invalidInput(`label must be text of at most ${LABEL_MAX} characters`, { field: 'label' });
    }
    label = input.label.trim();
  }
  return { permissions, label };
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (value === undefined || value === null || value === '') throw invalidInput(`${field} is required`, { field });
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string`, { field });
  return value;
}

function characterClasses(password: string): number {
  return [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((pattern) => pattern.test(password)).length;
}
