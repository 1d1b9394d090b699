import type { DataSource, Repository } from 'typeorm';
import type { LinkRepository, ShortLink } from '@sd/domain/urlshortener/link';
import { isUniqueViolation } from '@sd/orm/sql-errors';
import { LinkEntity } from './link.entity';

export class TypeormLinkRepository implements LinkRepository {
  private readonly links: Repository<LinkEntity>;

  constructor(dataSource: DataSource) {
    this.links = dataSource.getRepository(LinkEntity);
  }

  async insert(link: ShortLink): Promise<boolean> {
    try {
      await this.links.insert({ ...link }); // a copy: typeorm writes generated defaults back into what it inserts
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw new Error('insert link failed', { cause: error });
    }
  }

  async findByAlias(alias: string): Promise<ShortLink | null> {
    const row = await this.links.findOneBy({ alias });
    return row && { ...row };
  }

  async listByOwner(ownerId: string, limit: number): Promise<ShortLink[]> {
    const rows = await this.links.find({ where: { ownerId }, order: { createdAt: 'DESC', alias: 'ASC' }, take: limit });
    return rows.map((row) => ({ ...row }));
  }

  async delete(alias: string, ownerId: string): Promise<boolean> {
    const result = await this.links.delete({ alias, ownerId });
    return (result.affected ?? 0) > 0;
  }

  async addHits(counts: ReadonlyMap<string, number>): Promise<void> {
    // One atomic increment per alias: concurrent flushes of several instances add up.
    for (const [alias, count] of counts) await this.links.increment({ alias }, 'hits', count);
  }
}
