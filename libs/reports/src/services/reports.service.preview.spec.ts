import { RequestValidationException } from '@app/common';
import { ReportSchedulePreviewQueryDto } from '../dtos/report-schedule-preview.dto';
import {
  datasetsOf,
  FakeAudit,
  FakeReportsRepository,
  reportsConfig,
} from '../testing/fake-reports';
import { ReportsService } from './reports.service';

const query = (fields: Partial<ReportSchedulePreviewQueryDto>): ReportSchedulePreviewQueryDto =>
  Object.assign(new ReportSchedulePreviewQueryDto(), {
    schedule: '30 2 * * *',
    timezone: 'Europe/Berlin',
    ...fields,
  });

/** The field errors `work` throws, or none. */
function fieldErrors(work: () => unknown): Array<{ field: string; message: string }> {
  try {
    work();
  } catch (error) {
    if (error instanceof RequestValidationException) return error.fieldErrors ?? [];
    throw error;
  }
  return [];
}

describe('ReportsService.previewSchedule', () => {
  const repository = new FakeReportsRepository([]);
  const service = new ReportsService(
    repository.asRepository(),
    datasetsOf([]),
    new FakeAudit().asService(),
    reportsConfig(),
  );

  it('lists `count` due times from now by default, and stores nothing', () => {
    const now = new Date('2027-03-27T12:00:00Z');
    expect(service.previewSchedule(query({ count: 2 }), now)).toEqual({
      schedule: '30 2 * * *',
      timezone: 'Europe/Berlin',
      dueTimes: ['2027-03-28T03:00:00+02:00', '2027-03-29T02:30:00+02:00'],
    });
    expect(repository.rows).toEqual([]);
  });

  it('lists a due time at `from` itself, not one a millisecond before', () => {
    const at = service.previewSchedule(query({ from: '2027-03-28T01:00:00Z', count: 1 }));
    expect(at.dueTimes).toEqual(['2027-03-28T03:00:00+02:00']);
    const after = service.previewSchedule(query({ from: '2027-03-28T01:00:00.001Z', count: 1 }));
    expect(after.dueTimes).toEqual(['2027-03-29T02:30:00+02:00']);
  });

  it('answers the schedule as a report would store it, trimmed', () => {
    expect(service.previewSchedule(query({ schedule: '  @daily ', count: 1 })).schedule).toBe(
      '@daily',
    );
  });

  it.each([
    { field: 'schedule', fields: { schedule: '30 2 * *' } },
    { field: 'schedule', fields: { schedule: '0 0 30 2 *' } },
    { field: 'timezone', fields: { timezone: 'europe/berlin' } },
    { field: 'from', fields: { from: 'now' } },
    { field: 'from', fields: { from: '2027-03-26 12:00' } },
    { field: 'from', fields: { from: '1899-12-31T23:59:59Z' } },
    { field: 'from', fields: { from: '2200-01-01T00:00:00Z' } },
  ])('refuses $fields, naming $field', ({ field, fields }) => {
    const errors = fieldErrors(() => service.previewSchedule(query({ count: 1, ...fields })));
    expect(errors.map((error) => error.field)).toEqual([field]);
  });

  it('takes the first and last instants of its range', () => {
    for (const from of ['1900-01-01T00:00:00Z', '2199-12-31T23:59:59Z']) {
      expect(service.previewSchedule(query({ from, count: 1 })).dueTimes).toHaveLength(1);
    }
  });
});
