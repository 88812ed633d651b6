import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { z } from 'zod';

/*
 * The Python program (gst/pipeline_host.py) that runs one dynamic GStreamer
 * pipeline, as a child process spoken to in JSON lines. Its output is checked
 * with zod: it is another program, and a mismatch should say so, not crash later.
 */

/** Debian's Python: the GStreamer bindings (python3-gi) are installed for it, not for a pyenv or venv Python first on PATH. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
const HOST_SCRIPT = fileURLToPath(new URL('../gst/pipeline_host.py', import.meta.url));

type Properties = Record<string, string | number | boolean>;
/** Properties to set on elements, by element name. */
export type ElementProperties = Record<string, Properties>;

export type HostCommand =
  | { cmd: 'probe'; factories: string[] }
  | { cmd: 'create'; description: string; count: string[]; statsInterval: number }
  | { cmd: 'add-output'; id: string; description: string; properties: ElementProperties; feeds: Record<string, string> }
  | { cmd: 'remove-output'; id: string }
  | { cmd: 'add-input'; id: string; description: string; target: string; pad: Properties; properties: ElementProperties }
  | { cmd: 'set-pad'; id: string; pad: Properties }
  | { cmd: 'set-property'; id: string; element: string; properties: Properties }
  | { cmd: 'remove-input'; id: string }
  | { cmd: 'eos' };

const statsEvent = z.object({
  event: z.literal('stats'),
  runningTimeMs: z.number(),
  counters: z.record(z.string(), z.object({ frames: z.number(), lastRunningTimeMs: z.number().nullable() })),
  dropped: z.record(z.string(), z.number()),
});

const hostEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('probed'), present: z.array(z.string()) }),
  z.object({ event: z.literal('ready') }),
  z.object({ event: z.literal('input-added'), id: z.string() }),
  z.object({ event: z.literal('input-flowing'), id: z.string() }),
  /** An input's decoder lost its place (a lost packet, a start between keyframes) and needs a keyframe. */
  z.object({ event: z.literal('keyframe-wanted'), id: z.string() }),
  z.object({ event: z.literal('input-removed'), id: z.string() }),
  z.object({ event: z.literal('eos-done') }),
  z.object({ event: z.literal('output-added'), id: z.string() }),
  z.object({ event: z.literal('output-removed'), id: z.string() }),
  /** An output failed while another remained: it is gone, the rest goes on. */
  z.object({ event: z.literal('output-failed'), id: z.string(), message: z.string() }),
  z.object({
    event: z.literal('error'),
    element: z.string().nullable(),
    message: z.string(),
    debug: z.string().nullable(),
    /** The input whose branch failed (the rest plays on); absent or null: the host ends with exit 1. */
    input: z.string().nullable().optional(),
  }),
  statsEvent,
]);

export type HostEvent = z.infer<typeof hostEvent>;
export type HostStats = z.infer<typeof statsEvent>;

type HostEvents = {
  event: [HostEvent];
  exit: [code: number | null, signal: NodeJS.Signals | null];
};

export class PipelineHost extends EventEmitter<HostEvents> {
  readonly #child: ChildProcess;
  #exited = false;

  constructor(
    private readonly logger: Logger,
    python = DEBIAN_PYTHON,
  ) {
    super();
    this.#child = spawn(python, [HOST_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.on('error', (error) => {
      // Reported as an error event so that whoever waits for one hears of it.
      this.emit('event', { event: 'error', element: null, message: `${python} could not start (${error.message}): install Debian's python3 and python3-gi.`, debug: null });
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      this.emit('exit', code, signal);
    });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => this.#receive(line));
    // GStreamer warnings and Python tracebacks: useful when something goes wrong, noise otherwise.
    createInterface({ input: this.#child.stderr! }).on('line', (line) => this.logger.warn({ stderr: line }, 'GStreamer host says'));
    // Writes after the host died fail with EPIPE; the exit event already tells.
    this.#child.stdin!.on('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  send(command: HostCommand): void {
    if (this.#exited) return;
    this.logger.debug({ command }, 'to GStreamer host');
    this.#child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The next event that `accept` returns a value for; rejects on an error event, on exit and after `timeoutMs`. */
  next<T>(accept: (event: HostEvent) => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('exit', onExit);
        settle();
      };
      const onEvent = (event: HostEvent) => {
        if (event.event === 'error') return finish(() => reject(new Error(hostErrorMessage(event))));
        const value = accept(event);
        if (value !== undefined) finish(() => resolve(value));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(() => reject(new Error(`The GStreamer host ended (${signal ?? `exit ${code}`}) before ${what}.`)));
      const timer = setTimeout(() => finish(() => reject(new Error(`The GStreamer host did not report ${what} within ${timeoutMs / 1000} s.`))), timeoutMs);
      this.on('event', onEvent);
      this.on('exit', onExit);
    });
  }

  /** Ends the host at once (SIGKILL): outputs keep what was written. Idempotent. */
  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }

  #receive(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.logger.warn({ line }, 'the GStreamer host printed something that is not JSON');
      return;
    }
    const result = hostEvent.safeParse(parsed);
    if (!result.success) {
      this.logger.warn({ line, issues: result.error.issues }, 'the GStreamer host sent an event this recorder does not know: is pipeline_host.py from another version?');
      return;
    }
    if (result.data.event !== 'stats') this.logger.debug({ event: result.data }, 'from GStreamer host');
    this.emit('event', result.data);
  }
}

export function hostErrorMessage(event: Extract<HostEvent, { event: 'error' }>): string {
  return `GStreamer${event.input ? `, input ${event.input}` : ''}${event.element ? ` (${event.element})` : ''}: ${event.message}`;
}
