import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCEPTED_CONTENT, contentTypeRefusal, type AcceptedContent } from './accepted-content';

const ACCEPTED_CONTENT_KEY = 'hub:accepted-content';

/** Refuses a body this door does not take with 415, before anything reads it. */
@Injectable()
export class AcceptedContentGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const accepted = this.reflector.get<AcceptedContent>(ACCEPTED_CONTENT_KEY, context.getHandler());
    if (!accepted) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const refusal = contentTypeRefusal(accepted, req.headers['content-type']);
    if (refusal) throw new UnsupportedMediaTypeException(refusal);
    return true;
  }
}

/** Declares which body types a door takes (see ACCEPTED_CONTENT). */
export const AcceptsContent = (door: keyof typeof ACCEPTED_CONTENT) =>
  applyDecorators(SetMetadata(ACCEPTED_CONTENT_KEY, ACCEPTED_CONTENT[door]), UseGuards(AcceptedContentGuard));
