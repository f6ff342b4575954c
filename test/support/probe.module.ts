import { Public } from '@app/access';
import { BodyLimit } from '@app/common';
import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

class ProbeItemDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  quantity!: number;
}

class ProbeBodyDto {
  @IsString()
  @MaxLength(20)
  title!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ProbeItemDto)
  items!: ProbeItemDto[];
}

/**
 * Test-only routes that exercise the shared HTTP pipeline (validation, limits,
 * error mapping) the way future feature routes will. Mounted by tests only.
 */
@Controller('probe')
@Public()
class ProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('echo')
  echo(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Post('upload')
  @BodyLimit(64 * 1024)
  upload(@Body() body: { data: string }): { received: number } {
    return { received: body.data.length };
  }

  @Get('boom')
  boom(): never {
    throw new Error(
      'connect ECONNREFUSED db-internal.example:5432 while running SELECT secret FROM vault',
    );
  }

  @Get('sql')
  async sql(): Promise<unknown> {
    return this.dataSource.query('SELECT password_hash FROM no_such_table_xyz');
  }

  @Get('big')
  big(): { data: string } {
    return { data: 'sightline '.repeat(2000) };
  }

  @Get('slow')
  async slow(@Query('ms') ms: string): Promise<{ sleptMs: number }> {
    await sleep(Number(ms));
    return { sleptMs: Number(ms) };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
