import { benjaminiHochberg, holm } from './p-adjust';

// p <- c(0.01, 0.04, 0.03, 0.005, 0.2)
const P = [0.01, 0.04, 0.03, 0.005, 0.2];

describe('holm', () => {
  it('matches p.adjust(p, "holm")', () => {
    // Sorted: 0.005·5, 0.01·4, 0.03·3, 0.04·2 → 0.08, raised to 0.09 (monotone), 0.2·1.
    const adjusted = holm(P);
    [0.04, 0.09, 0.09, 0.025, 0.2].forEach((expected, i) =>
      expect(adjusted[i]).toBeCloseTo(expected, 12),
    );
    expect(holm([0.6, 0.9])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});

describe('benjaminiHochberg', () => {
  it('matches p.adjust(p, "BH")', () => {
    // SciPy's false_discovery_control(p): 0.025, 0.05, 0.05, 0.025, 0.2
    const adjusted = benjaminiHochberg(P);
    [0.025, 0.05, 0.05, 0.025, 0.2].forEach((expected, i) =>
      expect(adjusted[i]).toBeCloseTo(expected, 12),
    );
  });
});
