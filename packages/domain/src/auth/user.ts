/** An account. `email` is stored trimmed and lower-cased; `passwordHash` is self-describing (algorithm and parameters). */
export interface User {
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
}

export const UserRepository = Symbol.for('sd.auth.UserRepository');
