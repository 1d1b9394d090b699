import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlDatabase } from './sql-database';
import { NoteEntity, noteSchema } from './testing/note.entity';

describe('embedded SQL database', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kit-orm-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('keeps every write across a reopen', async () => {
    const file = join(dir, 'db.sqlite');
    const first = await openSqlDatabase({ kind: 'embedded', file }, noteSchema);
    await first.dataSource.getRepository(NoteEntity).save({ id: 'n1', text: 'hello', amount: '0.000000000000000001' });
    await first.dataSource.destroy(); // no explicit persist: every write was already saved

    const second = await openSqlDatabase({ kind: 'embedded', file }, noteSchema);
    const note = await second.dataSource.getRepository(NoteEntity).findOneByOrFail({ id: 'n1' });
    expect(note.text).toBe('hello');
    expect(String(note.amount)).toBe('0.000000000000000001');
    await second.close();
  });

  it('keeps decimals as exact text: SQLite would round a numeric column through a float', async () => {
    const db = await openSqlDatabase({ kind: 'embedded' }, noteSchema);
    await db.dataSource.getRepository(NoteEntity).save({ id: 'n1', text: 'btc', amount: '12345678901234567.10000000' });
    expect((await db.dataSource.getRepository(NoteEntity).findOneByOrFail({ id: 'n1' })).amount).toBe('12345678901234567.10000000');
    expect(await db.dataSource.query("SELECT typeof(amount) AS type FROM kit_orm_note")).toEqual([{ type: 'text' }]);
    await db.close();
  });

  it('saves on demand only when asked', async () => {
    const file = join(dir, 'db.sqlite');
    const db = await openSqlDatabase({ kind: 'embedded', file, persist: 'on-demand' }, noteSchema);
    const notes = db.dataSource.getRepository(NoteEntity);
    await notes.save({ id: 'kept', text: 'a', amount: '1' });
    await db.persist();
    await notes.save({ id: 'lost', text: 'b', amount: '2' });
    await db.dataSource.destroy(); // a crash before the next persist

    const reopened = await openSqlDatabase({ kind: 'embedded', file }, noteSchema);
    const ids = (await reopened.dataSource.getRepository(NoteEntity).find()).map((note) => note.id);
    expect(ids).toEqual(['kept']);
    await reopened.close();
  });
});
