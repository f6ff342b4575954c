import { corsOptions } from './cors-options';

describe('corsOptions', () => {
  it('admits credentials from the named origins', () => {
    expect(corsOptions(['https://dashboard.example'])).toMatchObject({
      origin: ['https://dashboard.example'],
      credentials: true,
    });
  });

  it('never admits credentials with a * entry, nor with no origin at all', () => {
    expect(corsOptions(['https://dashboard.example', '*']).credentials).toBe(false);
    expect(corsOptions([]).credentials).toBe(false);
  });
});
