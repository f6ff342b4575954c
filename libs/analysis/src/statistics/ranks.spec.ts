import { averageRanks } from './ranks';

describe('averageRanks', () => {
  it("gives tied values the mean of their ranks, as R's rank() does", () => {
    // rank(c(10, 20, 20, 5, 30, 20)) = 2, 4, 4, 1, 6, 4
    const { ranks, tieTerm } = averageRanks([10, 20, 20, 5, 30, 20]);
    expect([...ranks]).toEqual([2, 4, 4, 1, 6, 4]);
    expect(tieTerm).toBe(3 ** 3 - 3);
  });

  it('has no tie term without ties', () => {
    expect(averageRanks([3, 1, 2]).tieTerm).toBe(0);
    expect(averageRanks([]).ranks).toHaveLength(0);
  });
});
