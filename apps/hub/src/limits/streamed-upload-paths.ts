import type { IncomingMessage } from 'node:http';

/** Doors whose body is streamed to disk by UploadSpoolService, so no body parser may buffer it. */
const STREAMED = [/^\/upload\/[^/?]+(\?|$)/, /^\/api\/v1\/crash-archives\/?(\?|$)/];

export function isStreamedUpload(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return STREAMED.some((pattern) => pattern.test(url));
}
