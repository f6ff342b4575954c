import { foundAcrossParts, mergeParts, type PartCandidate } from './anomalies-scan';

describe('mergeParts', () => {
  const candidate = (col: number, distance: number, before: number): PartCandidate => ({
    col,
    value: distance,
    distance,
    robustZ: distance,
    before,
    found: 3,
  });

  it('numbers rows after the rows of the parts before, and ranks each column across parts', () => {
    const merged = mergeParts(
      [
        [candidate(0, 5, 9), candidate(1, 2, 3)],
        [candidate(0, 7, 0), candidate(0, 5, 4)],
      ],
      [100],
      50,
    );
    expect(merged.map((c) => [c.col, c.distance, c.row])).toEqual([
      [0, 7, 101],
      // Equally far: the earlier row first.
      [0, 5, 10],
      [0, 5, 105],
      [1, 2, 4],
    ]);
  });

  it('keeps the farthest max of each column', () => {
    const part = Array.from({ length: 20 }, (_, i) => candidate(0, i, i));
    const merged = mergeParts([part, part], [20], 20);
    expect(merged).toHaveLength(20);
    expect(merged[0]).toMatchObject({ distance: 19 });
    expect(merged.at(-1)).toMatchObject({ distance: 10 });
  });

  it("adds up each column's count over the parts, once a part", () => {
    const found = foundAcrossParts([
      [candidate(0, 5, 9), candidate(0, 4, 2), candidate(1, 2, 3)],
      [candidate(0, 7, 0)],
    ]);
    expect([...found]).toEqual([
      [0, 6],
      [1, 3],
    ]);
  });
});
