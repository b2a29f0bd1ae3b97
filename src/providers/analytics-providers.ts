import { Inject, Injectable } from '@nestjs/common';
import { ProviderKind } from '../workspaces/entities/workspace.entity';
import { AnalyticsProvider } from './analytics-provider';

/** DI token for the list of provider implementations (see ProvidersModule). */
export const ANALYTICS_PROVIDER_LIST = Symbol('ANALYTICS_PROVIDER_LIST');

/** Picks the implementation for a workspace's `provider` kind. */
@Injectable()
export class AnalyticsProviders {
  private readonly byKind = new Map<ProviderKind, AnalyticsProvider>();

  constructor(@Inject(ANALYTICS_PROVIDER_LIST) providers: AnalyticsProvider[]) {
    for (const provider of providers) this.byKind.set(provider.kind, provider);
  }

  for(kind: ProviderKind): AnalyticsProvider {
    const provider = this.byKind.get(kind);
    if (!provider) throw new Error(`no analytics provider for kind ${kind}`);
    return provider;
  }
}
