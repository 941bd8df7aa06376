const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Everything the bench started, undone newest first, exactly once — on success, on an error and
 * on Ctrl-C alike. A failing step is reported and the remaining steps still run.
 */
export class Teardown {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];
  private running?: Promise<void>;

  defer(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`bench teardown: ${step.name} failed: ${String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /**
   * Cleans up before exiting on a signal. The listeners stay installed while tearing down because
   * Nest's shutdown hooks re-raise the signal after closing, which would otherwise kill us mid-way.
   */
  exitOnSignals(): void {
    let signalled = false;
    for (const signal of SIGNALS) {
      process.on(signal, () => {
        if (signalled) return;
        signalled = true;
        console.error(`bench: ${signal}, cleaning up`);
        void this.run().finally(() => process.exit(1));
      });
    }
  }
}
