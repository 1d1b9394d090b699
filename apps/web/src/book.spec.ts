import { OrderBook } from './book';

function loaded(): OrderBook {
  const book = new OrderBook();
  book.snapshot({
    sequence: 10,
    bids: [['99.50', '2'], ['100.0', '1.5']],
    asks: [['101', '1'], ['102.5', '3']],
  });
  return book;
}

describe('OrderBook', () => {
  it('lists each side best first with cumulative totals', () => {
    const book = loaded();
    expect(book.levels('buy', 10)).toEqual([
      { price: '100', size: '1.5', total: '1.5' },
      { price: '99.5', size: '2', total: '3.5' },
    ]);
    expect(book.levels('sell', 1)).toEqual([{ price: '101', size: '1', total: '1' }]);
  });

  it('applies the next update: a new level, a changed one, and size 0 removing one written differently', () => {
    const book = loaded();
    expect(book.apply({ sequence: 11, changes: [['buy', '100.5', '0.1'], ['sell', '102.50', '0.25'], ['sell', '101.00', '0']] })).toBe('applied');
    expect(book.levels('buy', 1)).toEqual([{ price: '100.5', size: '0.1', total: '0.1' }]);
    expect(book.levels('sell', 10)).toEqual([{ price: '102.5', size: '0.25', total: '0.25' }]);
  });

  it('ignores updates the snapshot already covers', () => {
    const book = loaded();
    expect(book.apply({ sequence: 10, changes: [['buy', '1', '1']] })).toBe('stale');
    expect(book.levels('buy', 10)).toHaveLength(2);
  });

  it('reports a sequence gap and clears the book until the next snapshot', () => {
    const book = loaded();
    expect(book.apply({ sequence: 12, changes: [['buy', '1', '1']] })).toBe('gap');
    expect(book.ready).toBe(false);
    expect(book.levels('buy', 10)).toEqual([]);
    expect(book.apply({ sequence: 13, changes: [['buy', '1', '1']] })).toBe('waiting');
    book.snapshot({ sequence: 20, bids: [['5', '1']], asks: [] });
    expect(book.apply({ sequence: 21, changes: [['buy', '5', '4']] })).toBe('applied');
    expect(book.levels('buy', 10)).toEqual([{ price: '5', size: '4', total: '4' }]);
  });
});
