import { checkedLabels } from './passage-classifier';

const answer = (labels: unknown) => JSON.stringify({ labels });

describe('checkedLabels', () => {
  it('orders the labels by index', () => {
    expect(
      checkedLabels(
        answer([
          { index: 1, label: 'negative' },
          { index: 0, label: 'positive' },
          { index: 2, label: 'neutral' },
        ]),
        3,
      ),
    ).toEqual(['positive', 'negative', 'neutral']);
  });

  it.each([
    ['not JSON', '{labels: ['],
    ['a missing index', answer([{ index: 0, label: 'positive' }])],
    [
      'an index twice',
      answer([
        { index: 0, label: 'positive' },
        { index: 0, label: 'negative' },
      ]),
    ],
    [
      'an index out of range',
      answer([
        { index: 0, label: 'positive' },
        { index: 2, label: 'negative' },
      ]),
    ],
    [
      'a label outside the enum',
      answer([
        { index: 0, label: 'positive' },
        { index: 1, label: 'ecstatic' },
      ]),
    ],
    [
      'a fractional index',
      answer([
        { index: 0, label: 'positive' },
        { index: 0.5, label: 'negative' },
      ]),
    ],
    ['another shape', JSON.stringify({ verdict: 'positive' })],
  ])('refuses %s', (_case, raw) => {
    expect(checkedLabels(raw, 2)).toBeUndefined();
  });
});
