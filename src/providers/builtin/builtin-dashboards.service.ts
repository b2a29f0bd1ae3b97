import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BuiltinDashboard } from './entities/builtin-dashboard.entity';

export interface BuiltinDashboardInput {
  organizationId: string;
  workspaceId: string;
  title: string;
  description: string | null;
}

/** The built-in provider's store, shared by BuiltinProvider and its HMAC API. */
@Injectable()
export class BuiltinDashboardsService {
  constructor(@InjectRepository(BuiltinDashboard) private readonly dashboards: Repository<BuiltinDashboard>) {}

  async create(input: BuiltinDashboardInput): Promise<BuiltinDashboard> {
    const id = `dash_${randomBytes(16).toString('hex')}`;
    await this.dashboards.insert({ id, ...input });
    return this.dashboards.findOneByOrFail({ id });
  }

  /** True when a dashboard of that organization's workspace was deleted. */
  async delete(organizationId: string, workspaceId: string, dashboardId: string): Promise<boolean> {
    const result = await this.dashboards.delete({ id: dashboardId, organizationId, workspaceId });
    return (result.affected ?? 0) > 0;
  }

  find(dashboardId: string): Promise<BuiltinDashboard | null> {
    return this.dashboards.findOneBy({ id: dashboardId });
  }
}
