import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { principalOf } from './principal';

/** The request's resolved caller (see `Principal`). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  principalOf(ctx.switchToHttp().getRequest<Request>()),
);
