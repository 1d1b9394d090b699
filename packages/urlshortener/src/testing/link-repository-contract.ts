import type { LinkRepository, ShortLink } from '@sd/domain/urlshortener/link';

/**
 * What every LinkRepository must do. `open` returns a repository on an empty store; called
 * twice in one test, both repositories share that store (two app instances).
 */
export function describeLinkRepositoryContract(name: string, open: () => Promise<LinkRepository>): void {
  const link = (overrides: Partial<ShortLink> = {}): ShortLink => ({
    alias: `a${Math.random().toString(36).slice(2, 10)}`,
    target: 'https://example.com/page?q=1',
    ownerId: 'owner-1',
    createdAt: 1_700_000_000_000,
    expiresAt: null,
    hits: 0,
    ...overrides,
  });

  describe(`LinkRepository contract: ${name}`, () => {
    it('stores a link and finds it by alias, keeping every field', async () => {
      const repo = await open();
      const stored = link({ expiresAt: 1_800_000_000_123 });
      expect(await repo.insert(stored)).toBe(true);
      expect(await repo.findByAlias(stored.alias)).toEqual(stored);
      expect(await repo.findByAlias('nothing-here')).toBeNull();
    });

    it('refuses a taken alias, from another instance too, and keeps the first link', async () => {
      const [a, b] = [await open(), await open()];
      const first = link();
      expect(await a.insert(first)).toBe(true);
      expect(await b.insert({ ...first, target: 'https://evil.example/' , ownerId: 'owner-2' })).toBe(false);
      expect(await a.findByAlias(first.alias)).toEqual(first);
    });

    it('lets one of many concurrent inserts of an alias win', async () => {
      const [a, b] = [await open(), await open()];
      const alias = link().alias;
      const results = await Promise.all([a, b, a, b].map((repo, i) => repo.insert(link({ alias, ownerId: `owner-${i}` }))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("lists an owner's links newest first, up to the limit, and nobody else's", async () => {
      const repo = await open();
      const [old, mid, recent] = [1, 2, 3].map((n) => link({ ownerId: 'lister', createdAt: 1_700_000_000_000 + n }));
      for (const l of [mid, recent, old, link({ ownerId: 'other' })]) await repo.insert(l!);
      expect(await repo.listByOwner('lister', 10)).toEqual([recent, mid, old]);
      expect(await repo.listByOwner('lister', 2)).toEqual([recent, mid]);
      expect(await repo.listByOwner('nobody', 10)).toEqual([]);
    });

    it('deletes only for the owner', async () => {
      const repo = await open();
      const stored = link();
      await repo.insert(stored);
      expect(await repo.delete(stored.alias, 'someone-else')).toBe(false);
      expect(await repo.findByAlias(stored.alias)).toEqual(stored);
      expect(await repo.delete(stored.alias, stored.ownerId)).toBe(true);
      expect(await repo.findByAlias(stored.alias)).toBeNull();
      expect(await repo.delete(stored.alias, stored.ownerId)).toBe(false);
    });

    it('adds hit batches, concurrent ones from two instances included, ignoring deleted aliases', async () => {
      const [a, b] = [await open(), await open()];
      const [x, y] = [link(), link()];
      await a.insert(x);
      await a.insert(y);
      await Promise.all([
        a.addHits(new Map([[x.alias, 3], [y.alias, 1], ['gone', 5]])),
        b.addHits(new Map([[x.alias, 4]])),
        b.addHits(new Map([[y.alias, 2]])),
      ]);
      expect((await b.findByAlias(x.alias))?.hits).toBe(7);
      expect((await a.findByAlias(y.alias))?.hits).toBe(3);
      expect(await a.findByAlias('gone')).toBeNull();
    });
  });
}
