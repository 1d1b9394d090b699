/** What a user shows of themselves: both optional, set by the user. */
export interface UserProfile {
  /** A display name (nickname). */
  name: string | null;
  /** An http(s) URL of their avatar image. */
  profilePhotoUrl: string | null;
}

/** An account. `email` is stored trimmed and lower-cased; `passwordHash` is self-describing (algorithm and parameters). */
export interface User extends UserProfile {
  id: string;
  email: string;
  passwordHash: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface UserRepository {
  /** Stores a new user; false (and nothing stored) when the email is already taken. */
  create(user: User): Promise<boolean>;
  findByEmail(email: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /** Sets the given profile fields; false when there is no such user. */
  updateProfile(id: string, profile: Partial<UserProfile>): Promise<boolean>;
  /** Replaces the password hash; false when there is no such user. */
  updatePasswordHash(id: string, passwordHash: string): Promise<boolean>;
}

export const UserRepository = Symbol.for('sd.auth.UserRepository');
