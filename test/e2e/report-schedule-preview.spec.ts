import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/** `GET /v1/reports/schedule-preview`: a schedule's due times before it is saved. */
describe('report schedule preview', () => {
  let app: TestApp;
  let viewer: string;

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const home = await factory.newOrganization();
    viewer = (await factory.newApiKey(home.organizationId, 'viewer')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const preview = (
    query: Record<string, string>,
    headers: Record<string, string> = { 'x-api-key': viewer },
  ) =>
    call(
      app.baseUrl,
      'GET',
      `/v1/reports/schedule-preview?${new URLSearchParams(query).toString()}`,
      {
        headers,
      },
    );
  const berlin = { schedule: '30 2 * * *', timezone: 'Europe/Berlin' };

  it('lists due times across spring forward: the skipped 02:30 runs when the clock jumps', async () => {
    const response = await preview({ ...berlin, from: '2027-03-26T12:00:00Z', count: '3' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      schedule: '30 2 * * *',
      timezone: 'Europe/Berlin',
      dueTimes: [
        '2027-03-27T02:30:00+01:00',
        '2027-03-28T03:00:00+02:00',
        '2027-03-29T02:30:00+02:00',
      ],
    });
  });

  it('lists due times across fall back: the repeated 02:30 runs once, the first', async () => {
    const response = await preview({ ...berlin, from: '2027-10-29T12:00:00Z', count: '3' });
    expect(response.status).toBe(200);
    expect(response.body.dueTimes).toEqual([
      '2027-10-30T02:30:00+02:00',
      '2027-10-31T02:30:00+02:00',
      '2027-11-01T02:30:00+01:00',
    ]);
  });

  it('lists a due time at `from` itself, and reads a bare date as midnight UTC', async () => {
    const at = await preview({ ...berlin, from: '2027-03-28T03:00:00+02:00', count: '1' });
    expect(at.body.dueTimes).toEqual(['2027-03-28T03:00:00+02:00']);
    const dated = await preview({ ...berlin, from: '2027-03-26', count: '2' });
    expect(dated.body.dueTimes).toEqual(['2027-03-26T02:30:00+01:00', '2027-03-27T02:30:00+01:00']);
  });

  it('lists five due times from now by default, in the zone, trimming the schedule', async () => {
    const before = Date.now();
    const response = await preview({ schedule: ' 0 8 * * 1 ', timezone: 'America/New_York' });
    expect(response.status).toBe(200);
    expect(response.body.schedule).toBe('0 8 * * 1');
    const dueTimes = response.body.dueTimes as string[];
    expect(dueTimes).toHaveLength(5);
    for (const due of dueTimes) expect(due).toMatch(/T08:00:00-0[45]:00$/);
    expect(Date.parse(dueTimes[0] ?? '')).toBeGreaterThanOrEqual(before);
    expect(Date.parse(dueTimes[0] ?? '')).toBeLessThanOrEqual(before + 7 * 86_400_000);
  });

  it('lists at most 50', async () => {
    const response = await preview({ ...berlin, count: '50' });
    expect(response.body.dueTimes).toHaveLength(50);
  });

  it.each<{ field: string; query: Record<string, string> }>([
    { field: 'schedule', query: { timezone: 'Europe/Berlin' } },
    { field: 'schedule', query: { ...berlin, schedule: '61 2 * * *' } },
    { field: 'schedule', query: { ...berlin, schedule: '0 0 31 2 *' } },
    { field: 'schedule', query: { ...berlin, schedule: '0 30 2 * * *' } },
    { field: 'timezone', query: { schedule: '30 2 * * *' } },
    { field: 'timezone', query: { ...berlin, timezone: 'Mars/Olympus' } },
    { field: 'timezone', query: { ...berlin, timezone: '+02:00' } },
    { field: 'from', query: { ...berlin, from: 'tomorrow' } },
    { field: 'from', query: { ...berlin, from: '2027-03-26T12:00:00' } },
    { field: 'from', query: { ...berlin, from: '2027-02-30' } },
    { field: 'from', query: { ...berlin, from: '0001-01-01T00:00:00Z' } },
    { field: 'from', query: { ...berlin, from: '2999-12-31T00:00:00Z' } },
    { field: 'count', query: { ...berlin, count: '0' } },
    { field: 'count', query: { ...berlin, count: '51' } },
    { field: 'count', query: { ...berlin, count: '2.5' } },
    { field: 'count', query: { ...berlin, count: 'five' } },
    { field: 'at', query: { ...berlin, at: '2027-03-26T12:00:00Z' } },
  ])('answers 400 naming $field for $query', async ({ field, query }) => {
    const response = await preview(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const errors = response.body.errors as Array<{ field: string; message: string }>;
    // Only that field (a missing one fails two rules: a string, at most so long).
    expect([...new Set(errors.map((error) => error.field))]).toEqual([field]);
  });

  it('serves a viewer (the tests above) and answers 401 without a credential', async () => {
    for (const query of [berlin, {}]) {
      const response = await preview(query, {});
      expect(response.status).toBe(401);
      expect(response.body.type).toBe('/problems/unauthenticated');
    }
  });
});
