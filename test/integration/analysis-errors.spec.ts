import { type OrganizationId } from '@app/tenancy';
import { datasetTable, DatasetsService } from '@app/datasets';
import { DataSource } from 'typeorm';
import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('analysis errors: a reason code and a sentence, never the driver text', () => {
  let app: TestApp;
  let analyst: string;
  let organizationId: OrganizationId;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    organizationId = org.organizationId;
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  it('names a dataset whose table was dropped under the analysis, and logs the cause', async () => {
    const lines = ['day,sales,comment'];
    for (let d = 0; d < 30; d++)
      lines.push(`2025-01-${String(d + 1).padStart(2, '0')},${d},fine on day ${d + 1}`);
    const uploaded = await uploadCsv(app, analyst, `${lines.join('\n')}\n`);
    expect(uploaded.status).toBe(201);
    const dataset = await app.app
      .get(DatasetsService)
      .get(organizationId, String(uploaded.body.id));
    await app.app.get(DataSource).query(`DROP TABLE ${datasetTable(dataset)}`);

    const response = await call(app.baseUrl, 'POST', '/v1/analyses?wait=30', {
      headers: { 'x-api-key': analyst },
      body: { datasetId: dataset.id, agents: ['trends', 'anomalies', 'text'] },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error: 'every agent failed',
      errorCode: 'agents-failed',
    });
    const agents = response.body.agents as Json[];
    expect(agents.map((agent) => [agent.name, agent.errorCode, agent.error])).toEqual(
      ['trends', 'anomalies', 'text'].map((name) => [
        name,
        'dataset-unavailable',
        "the dataset's data could not be read: it was deleted or changed meanwhile",
      ]),
    );
    // Nothing of PostgreSQL's own words, nor the table's name, reaches the client.
    const body = JSON.stringify(response.body);
    for (const driverText of ['does not exist', 'relation', dataset.tableName])
      expect(body).not.toContain(driverText);
    const events = await fetch(`${app.baseUrl}/v1/analyses/${String(response.body.id)}/events`, {
      headers: { 'x-api-key': analyst },
    });
    const stream = await events.text();
    expect(stream).toContain('"errorCode":"dataset-unavailable"');
    expect(stream).not.toContain('does not exist');
    // The cause as it was is in the server's log, with the analysis id.
    const logged = app.logs.filter(
      (line) =>
        String(line.msg).includes(`Analysis ${String(response.body.id)}: agent trends failed`) &&
        String(line.msg).includes('does not exist'),
    );
    expect(logged).toHaveLength(1);
  }, 60_000);
});
