import { parseQueryString } from './query-string';

describe('parseQueryString', () => {
  it('gathers dim.<key> parameters into one object', () => {
    expect(parseQueryString('name=cpu&dim.region=eu&dim.tier=gold%20plus')).toEqual({
      name: 'cpu',
      dim: { region: 'eu', tier: 'gold plus' },
    });
  });

  it('keeps repeated values as arrays, for validation to refuse', () => {
    expect(parseQueryString('dim.region=eu&dim.region=us')).toEqual({
      dim: { region: ['eu', 'us'] },
    });
  });

  it('leaves other dotted names and a plain dim alone', () => {
    expect(parseQueryString('a.b=1&dim=x&dim.region=eu')).toEqual({
      'a.b': '1',
      dim: 'x',
      'dim.region': 'eu',
    });
    expect(parseQueryString('')).toEqual({});
  });
});
