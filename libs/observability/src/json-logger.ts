import type { LoggerService } from '@nestjs/common';
import { currentLogContext } from './log-context';
import { redact } from './redact';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON logs, one object per line on stdout, carrying the service name and the
 * current log context (job id, request id). Secret-looking fields are masked.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    readonly service: string,
    level: string = process.env.LOG_LEVEL ?? 'info',
    private readonly sink: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.threshold = LEVELS[level as Level] ?? LEVELS.info;
  }

  child(component: string): ComponentLogger {
    return new ComponentLogger(this, component);
  }

  write(level: Level, message: unknown, fields: Record<string, unknown> = {}, component?: string): void {
    if (LEVELS[level] < this.threshold) return;
    const text = message instanceof Error ? message.message : String(message);
    const entry = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(component ? { component } : {}),
      ...currentLogContext(),
      msg: text,
      ...(redact(fields) as Record<string, unknown>),
    };
    this.sink(JSON.stringify(entry));
  }

  // Nest's LoggerService signature: (message, ...optionalParams) where the last string is the context.
  log(message: unknown, ...params: unknown[]): void {
    this.fromNest('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.fromNest('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.fromNest('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.fromNest('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.fromNest('debug', message, params);
  }

  private fromNest(level: Level, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const stack = params.find((p) => typeof p === 'string');
    this.write(level, message, stack ? { stack } : {}, context);
  }
}

/** A logger bound to one component of a service. */
export class ComponentLogger {
  constructor(
    private readonly root: JsonLogger,
    private readonly component: string,
  ) {}
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('debug', msg, fields, this.component);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('info', msg, fields, this.component);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('warn', msg, fields, this.component);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.root.write('error', msg, fields, this.component);
  }
}

let rootLogger: JsonLogger | undefined;

/** The process-wide logger; services set their name once at start. */
export function rootLog(service?: string): JsonLogger {
  if (!rootLogger || (service && service !== rootLogger.service)) rootLogger = new JsonLogger(service ?? process.env.SERVICE_NAME ?? 'vrs');
  return rootLogger;
}

export function logger(component: string): ComponentLogger {
  return rootLog().child(component);
}
