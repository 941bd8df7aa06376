import type { BuiltinCollectorName, CollectorOutput } from '../../../libs/contracts/src/cep';
import type { CommandRunner } from '../host/command-runner';
import type { HostFs } from '../host/host-fs';
import type { AllowLists } from '../privacy/allow-lists';

export interface CollectorContext {
  fs: HostFs;
  runner: CommandRunner;
  allowLists: AllowLists;
  /** Per-command timeout for product tools, so one slow tool cannot eat the collector's budget. */
  commandTimeoutMs: number;
}

export type CollectOutcome<T> = { status: 'ok'; data: T } | { status: 'not-available'; reason: string };

export interface Collector<N extends BuiltinCollectorName = BuiltinCollectorName> {
  readonly name: N;
  collect(ctx: CollectorContext): Promise<CollectOutcome<CollectorOutput<N>>>;
}

export function notAvailable(reason: string): { status: 'not-available'; reason: string } {
  return { status: 'not-available', reason };
}

export function ok<T>(data: T): { status: 'ok'; data: T } {
  return { status: 'ok', data };
}
