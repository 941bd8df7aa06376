import type { NextFunction, Request, Response } from 'express';
import type { HubMetrics } from './hub-metrics.service';

/** Request durations per route pattern (never the concrete URL: it may name a client's file). */
export function httpMetricsMiddleware(metrics: HubMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
