import { PresenceBoard } from './presence-board';

describe('PresenceBoard', () => {
  it('keeps a user online until the last connection on any instance closes', () => {
    const board = new PresenceBoard(15_000);
    expect(board.connection('ann', 1)).toEqual({ edge: true, changes: [{ userId: 'ann', online: true }] });
    expect(board.connection('ann', 1)).toEqual({ edge: false, changes: [] });
    expect(board.remoteChange('b', 'ann', true, 0)).toEqual([]);
    expect(board.connection('ann', -1)).toEqual({ edge: false, changes: [] });
    expect(board.connection('ann', -1)).toEqual({ edge: true, changes: [] }); // still on instance b
    expect(board.isOnline('ann')).toBe(true);
    expect(board.remoteChange('b', 'ann', false, 1)).toEqual([{ userId: 'ann', online: false }]);
    expect(board.localUsers()).toEqual([]);
  });

  it('takes heartbeats as the whole truth of an instance, and forgets a silent or departed one', () => {
    const board = new PresenceBoard(15_000);
    expect(board.heartbeat('b', ['ann', 'bob'], 0)).toEqual([
      { userId: 'ann', online: true },
      { userId: 'bob', online: true },
    ]);
    board.connection('bob', 1);
    expect(board.heartbeat('b', ['bob', 'cid'], 5_000)).toEqual([
      { userId: 'ann', online: false },
      { userId: 'cid', online: true },
    ]);
    board.heartbeat('c', ['dan'], 10_000);
    expect(board.expire(20_000)).toEqual([]);
    expect(board.expire(20_001)).toEqual([{ userId: 'cid', online: false }]); // bob is connected here
    expect(board.gone('c')).toEqual([{ userId: 'dan', online: false }]);
    expect(board.gone('c')).toEqual([]);
  });
});
