import { DestinationStream } from 'pino';

/** A pino destination that keeps every line, so tests can read what was logged. */
export class LogCapture implements DestinationStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
    if (process.env.TEST_LOGS) process.stdout.write(line);
  }

  text(): string {
    return this.lines.join('');
  }

  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
