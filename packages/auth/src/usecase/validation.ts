import { PERMISSIONS, type Permission } from '@sd/domain/auth/api-key';
import type { UserProfile } from '@sd/domain/auth/user';
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
  const password = parsePassword(input, 'password', { isNew: forSignUp });
  return { email, password };
}

/** A password field; a new one (sign-up, change) must meet the policy, an existing one only its length bound. */
function parsePassword(input: Record<string, unknown>, field: string, { isNew }: { isNew: boolean }): string {
  const password = requiredString(input, field);
  const length = [...password].length;
  if (length > PASSWORD_MAX) throw invalidInput(`${field} must be at most ${PASSWORD_MAX} characters`, { field });
  if (isNew) {
    if (length < PASSWORD_MIN) throw invalidInput(`${field} must be at least ${PASSWORD_MIN} characters`, { field });
    if (characterClasses(password) < 2) {
      throw invalidInput(`${field} must mix at least two of: lower case, upper case, digits, other characters`, { field });
    }
  }
  return password;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** `{ currentPassword, newPassword }`: the new one meets the sign-up policy and differs from the current one. */
export function parsePasswordChange(body: unknown): PasswordChange {
  const input = objectBody(body);
  const currentPassword = parsePassword(input, 'currentPassword', { isNew: false });
  const newPassword = parsePassword(input, 'newPassword', { isNew: true });
  if (newPassword === currentPassword) throw invalidInput('newPassword must differ from the current password', { field: 'newPassword' });
  return { currentPassword, newPassword };
}

const NAME_MAX = 64;
const PHOTO_URL_MAX = 1024;

/**
 * Profile fields to set: `name` (trimmed text of at most 64 characters; empty clears it) and
 * `profilePhotoUrl` (an http or https URL; empty clears it). Absent fields stay as they are.
 */
export function parseProfile(body: unknown): Partial<UserProfile> {
  const input = objectBody(body);
  const profile: Partial<UserProfile> = {};
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || /\p{Cc}/u.test(input.name)) throw invalidInput('name must be text', { field: 'name' });
    const name = input.name.trim();
    if ([...name].length > NAME_MAX) throw invalidInput(`name must be at most ${NAME_MAX} characters`, { field: 'name' });
    profile.name = name === '' ? null : name;
  }
  if (input.profilePhotoUrl !== undefined) {
    const url = input.profilePhotoUrl;
    if (typeof url !== 'string' || url.length > PHOTO_URL_MAX || (url !== '' && !isWebUrl(url))) {
      throw invalidInput(`profilePhotoUrl must be an http or https URL of at most ${PHOTO_URL_MAX} characters`, { field: 'profilePhotoUrl' });
    }
    profile.profilePhotoUrl = url === '' ? null : url;
  }
  if (Object.keys(profile).length === 0) throw invalidInput('name or profilePhotoUrl is required');
  return profile;
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
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
