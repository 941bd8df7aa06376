import type { INestApplication } from '@nestjs/common';
import type { RunningHub } from '../../apps/hub/src/hub-application';

export interface RouteEntry {
  method: string;
  path: string;
}

/** Every route the running hub's Express router answers (Nest controllers and the OpenAPI docs alike). */
export function listRoutes(hub: RunningHub): RouteEntry[] {
  const express = (hub.app as INestApplication).getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  const routes: RouteEntry[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return routes;
}
