/**
 * Errors as they may appear in a log line: class, driver code and message, with double-quoted
 * values blanked. PostgreSQL echoes offending input in double quotes (`invalid input syntax for
 * type uuid: "…"`), and a logged query failure must not carry what the client sent.
 */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const MAX_MESSAGE = 300;

export function redactMessage(message: string): string {
  const redacted = message.replace(QUOTED, '"…"').replace(/\s+/g, ' ').trim();
  return redacted.length > MAX_MESSAGE ? `${redacted.slice(0, MAX_MESSAGE)}…` : redacted;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  driverError?: unknown;
}

function codeOf(error: ErrorLike): string | undefined {
  const driver = error.driverError as ErrorLike | undefined;
  const code = error.code ?? driver?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** One line naming the error without its payload: `QueryFailedError [08006]: Connection terminated`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) return redactMessage(String(error));
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = codeOf(e);
  const message = typeof e.message === 'string' ? redactMessage(e.message) : '';
  return `${name}${code ? ` [${code}]` : ''}${message ? `: ${message}` : ''}`;
}

/**
 * Connection-level failures of PostgreSQL or Redis: the store is unreachable, not the request bad.
 * SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (operator
 * intervention: shutdown, cannot connect now); socket errors; node-postgres pool and TypeORM
 * messages for a lost or never-made connection.
 */
const UNAVAILABLE_CODES = /^(08|53|57P)|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|ECONNABORTED)$/;
const UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection error|not connected|cannot use a pool after calling end|terminating connection|the database system is (starting up|shutting down)|redis is |enqueue timed out|Connection is closed|getaddrinfo|socket hang up/i;

export function isUnavailableError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const like = e as ErrorLike & { cause?: unknown };
    const code = codeOf(like);
    if (code && UNAVAILABLE_CODES.test(code)) return true;
    if (typeof like.message === 'string' && UNAVAILABLE_MESSAGES.test(like.message)) return true;
    e = like.driverError ?? like.cause;
  }
  return false;
}
