import { type AnalysisContext, TOP_VALUE_CHARACTERS, withBoundedProfile } from './analysis-context';

describe('withBoundedProfile', () => {
  it('cuts long top values and leaves labels, numbers and the caller’s context alone', () => {
    const long = 'x'.repeat(2 * TOP_VALUE_CHARACTERS);
    const column = (name: string, values: Array<string | number>) => ({
      name,
      topValues: values.map((value) => ({ value, count: 1 })),
    });
    const context = {
      organizationId: 'org',
      dataset: { profile: [column('note', [long, 'rain']), column('n', [7])] },
    } as unknown as AnalysisContext;
    const bounded = withBoundedProfile(context);
    const values = bounded.dataset.profile.map((p) => p.topValues.map((t) => t.value));
    expect(values).toEqual([[long.slice(0, TOP_VALUE_CHARACTERS), 'rain'], [7]]);
    expect(context.dataset.profile[0]?.topValues[0]?.value).toBe(long);
    expect(bounded.organizationId).toBe('org');
  });
});
