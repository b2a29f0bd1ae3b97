import { Body, Controller, Delete, Get, HttpCode, Module, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { Public } from '../../src/auth/decorators/public.decorator';
import { Page } from '../../src/common/http/envelope';

class ProbeOwnerDto {
  @IsString()
  @Length(1, 20)
  name: string;
}

class ProbeCreateDto {
  @IsString()
  @Length(1, 20)
  name: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  count?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeOwnerDto)
  owner?: ProbeOwnerDto;
}

/**
 * Test-only routes that exercise the global enhancers (validation, envelope, error mapping)
 * through the real AppModule. Mounted by tests with createApp's `imports`.
 */
@Public()
@Controller('probe')
class ProbeController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: ProbeCreateDto): ProbeCreateDto {
    return body;
  }

  @Get('list')
  list(): Page<{ n: number }> {
    return new Page([{ n: 1 }, { n: 2 }], 42);
  }

  @Delete()
  @HttpCode(204)
  remove(): void {}

  @Get('boom')
  boom(): never {
    throw new Error('boom: SELECT password FROM users WHERE secret = 42');
  }

  @Get('sql-error')
  async sqlError(): Promise<unknown> {
    return this.dataSource.query('SELECT * FROM table_that_does_not_exist_42');
  }

  @Get('duplicate')
  async duplicate(): Promise<unknown> {
    await this.dataSource.query(`INSERT INTO installation (created_by_version) VALUES ('probe')`);
    return this.dataSource.query(`INSERT INTO installation (created_by_version) VALUES ('probe')`);
  }

  @Get('db')
  async db(): Promise<{ one: number }> {
    const [row] = await this.dataSource.query('SELECT 1 AS one');
    return { one: Number(row.one) };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
