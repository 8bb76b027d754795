/**
 * A command that ran but cannot give a correct result (training diverged, non-finite output, over the memory
 * limit): the CLI prints "superposition <command>: <message>" and exits with code 1. The message says what
 * went wrong and what to try.
 */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}
