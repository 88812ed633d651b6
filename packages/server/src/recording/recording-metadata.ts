import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingMode } from '@tertulia/protocol';

interface Attendance {
  id: string;
  name: string;
  joinedAt: number;
  leftAt: number | null;
}

/**
 * metadata.json beside a recording, as Jibri writes it (`meeting_url`,
 * `participants`, the `extra_metadata` given at start) plus when it ran and who
 * was there when: everyone seen during the recording, with join and leave times.
 */
export class RecordingMetadata {
  readonly #attendance = new Map<string, Attendance>();
  #endedAt: number | null = null;

  constructor(
    private readonly fields: {
      sessionId: string;
      meetingUrl: string;
      room: string;
      mode: RecordingMode;
      startedAt: number;
      startedBy: { id: string; displayName: string } | null;
      extraMetadata: Record<string, unknown>;
    },
  ) {}

  /** Who is present now; those no longer present get their leave time. */
  present(people: Array<{ id: string; name: string }>, now = Date.now()): void {
    const here = new Set(people.map((person) => person.id));
    for (const person of people) {
      const seen = this.#attendance.get(person.id);
      if (!seen || seen.leftAt !== null) this.#attendance.set(person.id, { id: person.id, name: person.name, joinedAt: now, leftAt: null });
      else seen.name = person.name;
    }
    for (const seen of this.#attendance.values()) if (!here.has(seen.id) && seen.leftAt === null) seen.leftAt = now;
  }

  end(now = Date.now()): void {
    this.#endedAt = now;
    for (const seen of this.#attendance.values()) seen.leftAt ??= now;
  }

  async write(folder: string, files: string[]): Promise<void> {
    const { sessionId, meetingUrl, room, mode, startedAt, startedBy, extraMetadata } = this.fields;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const body = {
      meeting_url: meetingUrl,
      room,
      session_id: sessionId,
      mode,
      started_at: iso(startedAt),
      ended_at: iso(this.#endedAt),
      started_by: startedBy && { id: startedBy.id, name: startedBy.displayName },
      participants: [...this.#attendance.values()].map((seen) => ({ id: seen.id, name: seen.name, joined_at: iso(seen.joinedAt), left_at: iso(seen.leftAt) })),
      files,
      extra_metadata: extraMetadata,
    };
    await writeFile(join(folder, 'metadata.json'), `${JSON.stringify(body, null, 2)}\n`);
  }
}
