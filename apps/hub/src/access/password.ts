import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A generated password for bootstrap and resets: shown once, never stored in clear. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Compared against when the account is unknown, so a wrong username costs as long as a wrong password. */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$cXZmw12iawMLLCPWWqa+JQ$h+qvaK421pQVFFVMtHyD+Jta4jXz+5NDd5KX7adhtLk';
