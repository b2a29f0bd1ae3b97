import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectLogger, Logger } from '../common/logging/logger';
import { AppConfig } from '../config/configuration';

/** A failed command or connection must not hold a request: Tessera falls back instead. */
const COMMAND_TIMEOUT_MS = 300;
const LOG_EVERY_MS = 10_000;

/**
 * The shared Redis (REDIS_URL), or none. Commands fail at once while it is unreachable
 * (no offline queue), so callers fall back to their per-instance behaviour; the client keeps
 * reconnecting by itself and shared mode resumes when Redis is back.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis | null;
  private subscriber: Redis | null = null;
  private lastLog = 0;
  private readonly url?: string;

  constructor(
    config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.url = config.redis.url;
    this.client = this.url ? this.connect(this.url, 'commands') : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  /** Connected and accepting commands right now. */
  get available(): boolean {
    return this.client?.status === 'ready';
  }

  async ping(): Promise<boolean> {
    if (!this.client || !this.available) return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Subscribes (on a connection of its own) and re-subscribes after reconnects. */
  subscribe(channel: string, onMessage: (message: string) => void): void {
    if (!this.url) return;
    this.subscriber ??= this.connect(this.url, 'subscriber');
    void this.subscriber.subscribe(channel).catch(() => undefined);
    this.subscriber.on('message', (received: string, message: string) => {
      if (received === channel) onMessage(message);
    });
  }

  /** Best effort: other instances also poll PostgreSQL, which stays the record. */
  async publish(channel: string, message: string): Promise<void> {
    if (!this.client || !this.available) return;
    await this.client.publish(channel, message).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    this.client?.disconnect();
  }

  private connect(url: string, role: 'commands' | 'subscriber'): Redis {
    const options = {
      lazyConnect: false,
      enableOfflineQueue: role === 'subscriber',
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: role === 'subscriber' ? undefined : COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 1_000),
    };
    const client = new Redis(url, options);
    client.on('error', (error: Error & { code?: string }) => {
      const now = Date.now();
      if (now - this.lastLog < LOG_EVERY_MS) return;
      this.lastLog = now;
      this.logger.warn({ role, reason: error.code ?? error.name }, 'redis unavailable; using per-instance fallbacks');
    });
    client.on('ready', () => this.logger.info({ role }, 'redis connected'));
    return client;
  }
}
