/** One evtctl sub-command. `run` returns the process exit code. */
export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}
