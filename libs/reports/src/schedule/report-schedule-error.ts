/** The report field a schedule problem belongs to. */
export type ReportScheduleField = 'schedule' | 'timezone';

/**
 * A report's `schedule` or `timezone` that cannot be used. `message` names what is wrong
 * without the field, since the API's field errors print `field: message`.
 */
export class ReportScheduleError extends Error {
  constructor(
    readonly field: ReportScheduleField,
    message: string,
  ) {
    super(message);
    this.name = 'ReportScheduleError';
  }
}
