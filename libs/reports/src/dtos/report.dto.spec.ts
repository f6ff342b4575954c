import { setsWebhookUrl } from '@app/access';
import { createValidationPipe } from '@app/common';
import type { ArgumentMetadata } from '@nestjs/common';
import { CreateReportDto, UpdateReportDto } from './report.dto';

const pipe = createValidationPipe();
const validate = (metatype: ArgumentMetadata['metatype'], value: unknown) =>
  pipe.transform(value, { type: 'body', metatype });

const base = { name: 'r', metrics: ['m'], schedule: '0 8 * * *', timezone: 'UTC' };

describe('report DTOs', () => {
  it('signs exactly the bodies that give a webhook URL (which makes a secret)', () => {
    expect(setsWebhookUrl({ ...base, webhookUrl: 'https://x.example/h' })).toBe(true);
    expect(setsWebhookUrl(base)).toBe(false);
    expect(setsWebhookUrl({ webhookUrl: null })).toBe(false);
    // What the rule cannot read is treated as sensitive.
    expect(setsWebhookUrl(undefined)).toBe(true);
    expect(setsWebhookUrl([base])).toBe(true);
  });

  it('takes metric names and metric objects alike', async () => {
    const dto = (await validate(CreateReportDto, {
      ...base,
      metrics: ['orders', { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'sum' }],
    })) as CreateReportDto;
    expect(dto.metrics.map((metric) => ({ ...metric }))).toEqual([
      { name: 'orders' },
      { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'sum' },
    ]);
  });

  it('lets a change remove the webhook and the dataset with null', async () => {
    const dto = (await validate(UpdateReportDto, {
      webhookUrl: null,
      datasetId: null,
    })) as UpdateReportDto;
    expect(dto).toMatchObject({ webhookUrl: null, datasetId: null });
    await expect(validate(UpdateReportDto, { format: 'pdf' })).rejects.toThrow();
    await expect(validate(UpdateReportDto, { schedule: 42 })).rejects.toThrow();
  });
});
