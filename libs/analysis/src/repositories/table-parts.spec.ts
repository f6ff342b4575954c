import { partsOf } from './table-parts';

describe('partsOf', () => {
  it('splits a large table into consecutive page ranges, the last one open', () => {
    expect(partsOf(23_431, 2)).toEqual([
      { from: '(0,0)', to: '(11715,0)' },
      { from: '(11715,0)', to: null },
    ]);
  });

  it('keeps a small table whole', () => {
    expect(partsOf(1, 2)).toEqual([{ from: '(0,0)', to: null }]);
    expect(partsOf(0, 2)).toEqual([{ from: '(0,0)', to: null }]);
    expect(partsOf(NaN, 2)).toEqual([{ from: '(0,0)', to: null }]);
  });
});
