import { serviceUrl } from '@sd/testing/services';
import { openSqlDatabase } from './sql-database';
import { NoteEntity, noteSchema } from './testing/note.entity';

describe('PostgreSQL database', () => {
  it('runs migrations once and stores decimals exactly', async () => {
    const url = serviceUrl('postgres');
    const first = await openSqlDatabase({ kind: 'postgres', url }, noteSchema);
    await first.dataSource.getRepository(NoteEntity).clear();
    await first.dataSource.getRepository(NoteEntity).save({ id: 'n1', text: 'hello', amount: '12345678901234567.000000000000000001' });
    await first.close();

    const second = await openSqlDatabase({ kind: 'postgres', url }, noteSchema);
    const applied = await second.dataSource.query('SELECT name FROM kit_orm_migrations');
    expect(applied).toEqual([{ name: 'CreateNote1700000000000' }]);
    const note = await second.dataSource.getRepository(NoteEntity).findOneByOrFail({ id: 'n1' });
    expect(note.amount).toBe('12345678901234567.000000000000000001');
    const [{ version }] = await second.dataSource.query('SELECT version()');
    console.log(`[kit/orm] talked to ${String(version).split(',')[0]}`);
    await second.close();
  });
});
