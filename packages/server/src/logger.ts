import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout; pipe through `pino-pretty` to read them by eye. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'tertulia' } });
}
