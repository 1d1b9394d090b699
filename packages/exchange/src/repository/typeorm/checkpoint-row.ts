import type { DataSource, EntityManager } from 'typeorm';
import { exclusive } from '@sd/orm/embedded-lock';
import { CheckpointEntity } from './market-data.entities';

/** One projector's row in `exchange_checkpoints`: how far it got in the outcome log. */
export class CheckpointRow {
  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
  ) {}

  /** 0 before the first commit. */
  async read(): Promise<number> {
    const row = await exclusive(this.dataSource, () => this.dataSource.getRepository(CheckpointEntity).findOneBy({ name: this.name }));
    return row?.sequence ?? 0;
  }

  /**
   * Runs `write` in one transaction with the checkpoint moved to `next`, if the stored one is
   * still `expected` (locked for the transaction on PostgreSQL; sql.js runs one at a time anyway).
   */
  commit(expected: number, next: number, write: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return exclusive(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        if ((await this.lock(manager)) !== expected) return false;
        await write(manager);
        await manager.update(CheckpointEntity, { name: this.name }, { sequence: next });
        return true;
      }),
    );
  }

  private async lock(manager: EntityManager): Promise<number> {
    await manager.createQueryBuilder().insert().into(CheckpointEntity).values({ name: this.name, sequence: 0 }).orIgnore().execute();
    const query = manager.getRepository(CheckpointEntity).createQueryBuilder('c').where('c.name = :name', { name: this.name });
    if (this.dataSource.options.type === 'postgres') query.setLock('pessimistic_write');
    return (await query.getOneOrFail()).sequence;
  }
}
