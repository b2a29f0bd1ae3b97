import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DestinationStream } from 'pino';
import { AppModule, AppModuleOptions } from './app.module';
import { registerEnvelope } from './common/http/envelope.hook';
import { registerJsonBodyParser } from './common/http/json-body-parser';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { securityHeaders } from './common/http/security-headers';
import { createLogger, Logger, LOGGER } from './common/logging/logger';
import { NestLoggerAdapter } from './common/logging/nest-logger.adapter';
import { setupSwagger } from './common/swagger/swagger.setup';
import { AppConfig } from './config/configuration';
import { MetricsService } from './metrics/metrics.service';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
  /** Extra modules mounted beside Tessera's own (extensions; tests mount probe controllers). */
  imports?: AppModuleOptions['imports'];
}

/**
 * Builds the whole HTTP application, initialised but not listening: used by main.ts and by
 * the e2e tests, so both run the same server. Fastify was chosen by measurement (README).
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config.log.level, options.logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimit,
    genReqId: requestIdFor,
    logger: false,
    trustProxy: config.http.trustProxy,
    // Slow clients: the whole request must arrive within requestTimeout; idle sockets are closed.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs * 2,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // On shutdown: idle keep-alive sockets close at once, requests arriving meanwhile get 503.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 256 },
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, logger, imports: options.imports }), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: new NestLoggerAdapter(logger),
  });

  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify, config.http.bodyLimit);
  registerEnvelope(fastify);
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
    done();
  });
  const metrics = config.metrics.enabled ? app.get(MetricsService) : undefined;
  const accessLog = logger.isLevelEnabled('info');
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the URL: bounded label values, and no tokens from query strings.
    metrics?.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    // Hot path: build the log line only when it will be written.
    if (!accessLog) {
      done();
      return;
    }
    logger.info(
      {
        requestId: request.id,
        method: request.method,
        // The path only: query strings can carry tokens (e.g. the embed page's).
        path: request.url.split('?', 1)[0],
        route: request.routeOptions.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });

  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? '*' : config.http.corsOrigins,
      credentials: false,
      methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', REQUEST_ID_HEADER],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      maxAge: 600,
    });
  }
  setupSwagger(app, config.docs.enabled);
  await app.init();
  return app;
}

/** The application's logger, for code outside Nest's DI (main.ts, tests). */
export function appLogger(app: NestFastifyApplication): Logger {
  return app.get<Logger>(LOGGER);
}
