import { type ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  Min,
  ValidateNested,
  validate,
} from 'class-validator';
import { RequestValidationException } from '../errors/problem';
import { createValidationPipe, flattenValidationErrors } from './validation.pipe';

class ItemDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

class CreateOrderDto {
  @IsString()
  title!: string;

  @IsInt()
  @Min(0)
  @Max(10)
  priority!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

const body = { type: 'body', metatype: CreateOrderDto } as const;

/** The exception the pipe throws for `value`; fails the test if it accepts it. */
async function rejectionOf(value: unknown): Promise<RequestValidationException> {
  try {
    await createValidationPipe().transform(value, body);
  } catch (error) {
    if (error instanceof RequestValidationException) return error;
    throw error;
  }
  throw new Error('expected the pipe to reject the value');
}

describe('flattenValidationErrors', () => {
  it('returns one entry per constraint with dotted and indexed paths', () => {
    const errors: ValidationError[] = [
      { property: 'title', constraints: { isString: 'title must be a string' }, children: [] },
      {
        property: 'items',
        children: [
          {
            property: '0',
            children: [
              {
                property: 'name',
                constraints: {
                  isString: 'name must be a string',
                  isNotEmpty: 'name should not be empty',
                },
                children: [],
              },
            ],
          },
          {
            property: '2',
            children: [
              {
                property: 'owner',
                children: [
                  { property: 'email', constraints: { isEmail: 'email must be an email' } },
                ],
              },
            ],
          },
        ],
      },
    ];

    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'title', message: 'title must be a string' },
      { field: 'items[0].name', message: 'name must be a string' },
      { field: 'items[0].name', message: 'name should not be empty' },
      { field: 'items[2].owner.email', message: 'email must be an email' },
    ]);
  });

  it('returns nothing for no errors', () => {
    expect(flattenValidationErrors([])).toEqual([]);
  });

  it('flattens what class-validator reports for nested DTOs', async () => {
    const order = Object.assign(new CreateOrderDto(), {
      title: 'ok',
      priority: 1,
      items: [Object.assign(new ItemDto(), { name: 'fine', count: 1 }), new ItemDto()],
    });

    const fields = flattenValidationErrors(await validate(order)).map((error) => error.field);

    expect(fields.sort()).toEqual([
      'items[1].count',
      'items[1].count',
      'items[1].name',
      'items[1].name',
    ]);
  });
});

describe('createValidationPipe', () => {
  it('transforms a valid body into the DTO class', async () => {
    const value = { title: 'Order', priority: 3, items: [{ name: 'bolt', count: 2 }] };

    const result: unknown = await createValidationPipe().transform(value, body);

    expect(result).toBeInstanceOf(CreateOrderDto);
    expect((result as CreateOrderDto).items[0]).toBeInstanceOf(ItemDto);
    expect(result).toEqual(value);
  });

  it('rejects an unknown field and names it', async () => {
    const error = await rejectionOf({ title: 'Order', priority: 3, items: [], isAdmin: true });

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('validation-error');
    expect(error.fieldErrors).toEqual([
      { field: 'isAdmin', message: 'property isAdmin should not exist' },
    ]);
  });

  it('names an unknown field inside a nested item by its path', async () => {
    const error = await rejectionOf({
      title: 'Order',
      priority: 3,
      items: [{ name: 'bolt', count: 2, price: 9 }],
    });

    expect(error.fieldErrors).toEqual([
      { field: 'items[0].price', message: 'property price should not exist' },
    ]);
  });

  it('lists every invalid field at once', async () => {
    const error = await rejectionOf({
      title: 7,
      priority: 11,
      items: [{ name: '', count: 0 }],
      extra: 'x',
    });

    const fields = [...new Set(error.fieldErrors?.map((fieldError) => fieldError.field))].sort();
    expect(fields).toEqual(['extra', 'items[0].count', 'items[0].name', 'priority', 'title']);
    expect(error.fieldErrors).toContainEqual({
      field: 'priority',
      message: 'priority must not be greater than 10',
    });
    expect(error.message).toContain('title: title must be a string');
  });

  it('refuses constructor and prototype keys by path instead of deleting them', async () => {
    const value = JSON.parse(
      '{"title": "Order", "priority": 3, "items": [{"name": "bolt", "count": 2, "constructor": 0}], "prototype": {}}',
    ) as unknown;

    const error = await rejectionOf(value);

    expect(error.fieldErrors?.map((fieldError) => fieldError.field)).toEqual([
      'items[0].constructor',
      'prototype',
    ]);
  });
});
