import { version } from '../../../package.json';

/** The repository version; the agent ships from this monorepo. */
export const AGENT_VERSION: string = version;
