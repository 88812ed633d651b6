import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { LoadOptionsError, parseLoadOptions, runLoad, type LoadOptions, type LoadResult } from '@tertulia/loadtest';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';

export const LOADTEST_USAGE = `Usage:
  tertulia loadtest [--url http://127.0.0.1:8080] [--sfu tertulia|janus]
                    [--rooms 1] [--participants 4] [--publishers <participants>]
                    [--duration 20] [--ramp 5] [--layer low|mid|high] [--workers 2]
                    [--room-prefix loadtest-<random>]

Synthetic participants without a browser: each joins through the SFU's signalling,
connects with real ICE + DTLS-SRTP, publishes looped VP8 (three simulcast layers)
and Opus made once with ffmpeg, and counts what it receives from everyone else.
--participants is per room; the first --publishers of each room send, the rest
listen. They join at --ramp per second, spread over --workers threads; then the
load runs --duration seconds and stops by itself. --layer is the simulcast layer
subscribers ask for. Janus: --sfu janus --url ws://127.0.0.1:8188.`;

/** `tertulia loadtest`: drive a load against a running SFU and print what the subscribers received. */
export async function loadtest(args: string[]): Promise<number> {
  const { values, positionals } = parsedOrUsage(LOADTEST_USAGE, () =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8080' },
        sfu: { type: 'string', default: 'tertulia' },
        rooms: { type: 'string', default: '1' },
        participants: { type: 'string', default: '4' },
        publishers: { type: 'string' },
        duration: { type: 'string', default: '20' },
        ramp: { type: 'string', default: '5' },
        layer: { type: 'string', default: 'high' },
        workers: { type: 'string', default: '2' },
        'room-prefix': { type: 'string', default: `loadtest-${randomBytes(3).toString('hex')}` },
      },
    }),
  );
  if (positionals.length > 0) throw new CliError(`Unexpected argument "${positionals[0]}".\n\n${LOADTEST_USAGE}`, EXIT_USAGE);
  let options: LoadOptions;
  try {
    options = parseLoadOptions({
      sfu: values.sfu,
      url: values.url,
      rooms: number(values.rooms),
      participantsPerRoom: number(values.participants),
      publishersPerRoom: number(values.publishers ?? values.participants),
      durationSeconds: number(values.duration),
      rampPerSecond: number(values.ramp),
      layer: values.layer,
      workers: number(values.workers),
      roomPrefix: values['room-prefix'],
    });
  } catch (error) {
    if (error instanceof LoadOptionsError) throw new CliError(`${error.message}\n\n${LOADTEST_USAGE}`, EXIT_USAGE);
    throw error;
  }
  const result = await runLoad(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(summary(result));
  // A participant that could not join, or a stream that never arrived, is a failed run.
  return result.failures.length === 0 && result.streamsReceiving >= result.streamsExpected ? 0 : 1;
}

/** A flag's text as a number; anything else becomes NaN, which the option check reports by name. */
function number(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

function summary(result: LoadResult): string {
  const { options: o } = result;
  const rows: Array<[string, string]> = [
    ['participants joined', `${result.participants}/${o.rooms * o.participantsPerRoom} (${result.failures.length} failed)`],
    ['streams receiving', `${result.streamsReceiving}/${result.streamsExpected}`],
    ['packets received', `${result.packets.toLocaleString('en')} (${Math.round(result.packets / result.seconds).toLocaleString('en')} pps)`],
    ['bitrate received', `${((result.bytes * 8) / result.seconds / 1e6).toFixed(1)} Mbps`],
    ['loss', `${(result.lossRatio * 100).toFixed(2)} %`],
    ['jitter (median)', `${result.jitterMsMedian.toFixed(1)} ms`],
    ['load tool CPU', `${result.toolCpuSeconds.toFixed(1)} s (${((result.toolCpuSeconds / result.seconds) * 100).toFixed(0)} % of one core)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `\n${o.sfu}: ${o.rooms} room(s) × ${o.participantsPerRoom} (${o.publishersPerRoom} publishing), layer ${o.layer}, ${result.seconds.toFixed(1)} s measured`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...result.failures.slice(0, 5).map((f) => `  failed: ${f.name}: ${f.error}`),
    ...(result.failures.length > 5 ? [`  … and ${result.failures.length - 5} more failures`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
