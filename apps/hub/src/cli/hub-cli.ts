#!/usr/bin/env node
import { ConfigError, loadHubConfig } from '../../../../libs/config/src';
import { JiraConnectionService } from '../qa/jira-connection.service';

const USAGE = 'usage: hub jira check    test the Jira connection, project, issue type and required fields (JIRA_* settings)';

/** Operator commands that read the hub's own configuration from the environment. */
const COMMANDS: Record<string, () => Promise<number>> = {
  'jira check': async () => {
    const result = await new JiraConnectionService(loadHubConfig()).check();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!result.ok) process.stderr.write(`jira check failed: ${result.problems.join('; ')}\n`);
    return result.ok ? 0 : 1;
  },
};

async function main(argv: string[]): Promise<number> {
  const run = COMMANDS[argv.slice(0, 2).join(' ')];
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    return await run();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
