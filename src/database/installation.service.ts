import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectLogger, Logger } from '../common/logging/logger';
import { APP_VERSION } from '../common/version';
import { Installation } from './entities/installation.entity';

@Injectable()
export class InstallationService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const installation = await this.get();
    this.logger.info(
      { installationId: installation.id, since: installation.createdAt.toISOString(), engine: this.engine() },
      'database ready',
    );
  }

  /** The installation row, created on first call; concurrent first starts agree on one row. */
  async get(): Promise<Installation> {
    const repository = this.dataSource.getRepository(Installation);
    await repository
      .createQueryBuilder()
      .insert()
      .values({ createdByVersion: APP_VERSION })
      .orIgnore()
      .execute();
    return repository.findOneByOrFail({ singleton: true });
  }

  private engine(): string {
    return (this.dataSource.options as { url?: string }).url ? 'postgresql' : 'embedded';
  }
}
