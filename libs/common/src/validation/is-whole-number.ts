import { ValidateBy } from 'class-validator';

/**
 * A whole number from `min` to `max`, with one message when it is not (IsInt, Min and Max
 * would give up to three for one bad value). Pair it with `@Type(() => Number)` on a query
 * field, and state the bounds in `@ApiProperty`: the swagger plugin does not read them here.
 */
export function IsWholeNumber(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'isWholeNumber',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
      defaultMessage: (args) => `${args?.property} must be a whole number from ${min} to ${max}`,
    },
  });
}
