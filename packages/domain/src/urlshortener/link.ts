/** A short link: `alias` redirects to `target` until `expiresAt` (epoch ms, null for never). */
export interface ShortLink {
  alias: string;
  target: string;
  ownerId: string;
  createdAt: number;
  expiresAt: number | null;
  /** Redirects counted in the store (batched: recent hits may still be on their way). */
  hits: number;
}

export interface LinkRepository {
  /** Stores a new link; false (and nothing stored) when the alias is taken. */
  insert(link: ShortLink): Promise<boolean>;
  findByAlias(alias: string): Promise<ShortLink | null>;
  /** The owner's links, newest first. */
  listByOwner(ownerId: string, limit: number): Promise<ShortLink[]>;
  /** Deletes the link when `ownerId` owns it; true when it did. */
  delete(alias: string, ownerId: string): Promise<boolean>;
  /** Adds each count to its link's hits; aliases that no longer exist are ignored. */
  addHits(counts: ReadonlyMap<string, number>): Promise<void>;
}

export const LinkRepository = Symbol.for('sd.urlshortener.LinkRepository');
