import type { CrashFamily } from '../../crash-signature/src/crash-thread';

interface ProblemTypeSpec {
  family: CrashFamily;
  /** Elements that may hold the stack, in order of preference; one must be present. */
  stackElements: string[];
}

/** ABRT problem types the hub accepts: the family each is grouped in, and where its stack is. */
export const PROBLEM_TYPE_SPECS: Record<string, ProblemTypeSpec> = {
  CCpp: { family: 'core', stackElements: ['core_backtrace', 'backtrace'] },
  Python: { family: 'python', stackElements: ['backtrace'] },
  Python3: { family: 'python', stackElements: ['backtrace'] },
  Kerneloops: { family: 'kerneloops', stackElements: ['backtrace'] },
  vmcore: { family: 'kerneloops', stackElements: ['vmcore-dmesg.txt', 'backtrace'] },
  xorg: { family: 'xorg', stackElements: ['backtrace'] },
  Java: { family: 'java', stackElements: ['backtrace'] },
  anaconda: { family: 'anaconda', stackElements: ['anaconda-tb', 'backtrace'] },
};

export const PROBLEM_TYPES = Object.keys(PROBLEM_TYPE_SPECS);

/** The first stack element present and non-empty, or undefined. */
export function stackElementOf(type: string, text: (name: string) => string | undefined): string | undefined {
  return PROBLEM_TYPE_SPECS[type]?.stackElements.find((name) => text(name)?.trim());
}
