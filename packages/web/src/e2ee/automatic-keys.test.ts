import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutomaticKeys, ROTATION_DELAY_MS } from './automatic-keys.js';
import { FrameCryptor, OWN_KEYS } from './frame-cryptor.js';
import type { FrameInfo } from './frame-format.js';

const AUDIO: FrameInfo = { kind: 'audio', keyFrame: false };

/** A participant: its keys, and the frame crypto they feed, as in the browser's worker. */
interface Party {
  id: string;
  keys: AutomaticKeys;
  cryptor: FrameCryptor;
  /** What the server relayed to it, as it saw it. */
  seen: string[];
}

/** Participants wired through a relay that, like the server, sees each message but only passes it on. */
class Meeting {
  readonly parties = new Map<string, Party>();
  readonly relayed: string[] = [];
  #inFlight = 0;

  async join(id: string): Promise<Party> {
    const cryptor = new FrameCryptor();
    const keys = await AutomaticKeys.create({
      selfId: id,
      send: (to, message) => this.#relay(id, to, message),
      setKey: (owner, index, material, use) => cryptor.setKey(owner, index, material, use),
      forget: (owner) => cryptor.forget(owner),
    });
    const party = { id, keys, cryptor, seen: [] };
    for (const other of this.parties.values()) other.keys.participantJoined(id);
    this.parties.set(id, party);
    keys.greet([...this.parties.keys()].filter((other) => other !== id));
    return party;
  }

  leave(id: string): Party {
    const party = this.parties.get(id)!;
    this.parties.delete(id);
    party.keys.stop();
    for (const other of this.parties.values()) other.keys.participantLeft(id);
    return party;
  }

  /** Waits until no message is on its way and every party has handled what it got. */
  async settle(): Promise<void> {
    for (let i = 0; i < 200 && this.#inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }

  #relay(from: string, to: string, message: string): void {
    this.relayed.push(message);
    this.#inFlight++;
    setTimeout(() => {
      this.#inFlight--;
      const party = this.parties.get(to);
      party?.seen.push(message);
      party?.keys.handle(from, message);
    }, 1);
  }
}

async function sends(from: Party, text = `${from.id} speaking`): Promise<ArrayBuffer> {
  return (await from.cryptor.encrypt(new TextEncoder().encode(text).buffer, AUDIO))!;
}

async function opens(to: Party, from: Party, frame: ArrayBuffer): Promise<boolean> {
  return (await to.cryptor.decrypt(from.id, frame, AUDIO)) !== undefined;
}

describe('automatic E2EE keys', () => {
  it('lets everyone decrypt everyone, ratchets for a newcomer, rotates when someone leaves', async () => {
    const meeting = new Meeting();
    const ana = await meeting.join('ana');
    const bea = await meeting.join('bea');
    await meeting.settle();
    assert.ok(await opens(bea, ana, await sends(ana)), 'Bea decrypts Ana');
    assert.ok(await opens(ana, bea, await sends(bea)), 'Ana decrypts Bea');

    const beforeCai = await sends(ana, 'before Cai came');
    const cai = await meeting.join('cai');
    await meeting.settle();
    for (const [to, from] of [[ana, bea], [ana, cai], [bea, ana], [bea, cai], [cai, ana], [cai, bea]] as const) {
      assert.ok(await opens(to, from, await sends(from)), `${to.id} decrypts ${from.id} after Cai joined`);
    }
    assert.equal(await opens(cai, ana, beforeCai), false, 'Cai cannot decrypt what Ana sent before Cai joined');

    const indexBefore = ana.keys.currentIndex;
    const gone = meeting.leave('bea');
    await meeting.settle();
    await new Promise((resolve) => setTimeout(resolve, ROTATION_DELAY_MS + 100));
    assert.notEqual(ana.keys.currentIndex, indexBefore, 'a new key index after Bea left');
    const afterBea = await sends(ana, 'after Bea left');
    assert.equal(new Uint8Array(afterBea).at(-1), ana.keys.currentIndex, 'Ana sends under it');
    assert.ok(await opens(cai, ana, afterBea), 'Cai decrypts Ana under the new key');
    assert.ok(await opens(ana, cai, await sends(cai)), 'Ana decrypts Cai under the new key');
    assert.equal(await opens(gone, ana, afterBea), false, 'Bea, gone, cannot decrypt what Ana sends now');

    for (const party of [ana, cai]) party.keys.stop();
  });

  it('never relays a media key the server could read', async () => {
    const meeting = new Meeting();
    const ana = await meeting.join('ana');
    const bea = await meeting.join('bea');
    await meeting.settle();
    const probe = new FrameCryptor();
    // Everything the server saw, tried as Ana's key in every form it could take.
    for (const message of meeting.relayed) {
      const bytes = Uint8Array.from(atob(message), (c) => c.charCodeAt(0));
      for (let at = 0; at + 32 <= bytes.length; at++) probe.setKey('ana', 0, bytes.slice(at, at + 32));
      assert.equal(await probe.decrypt('ana', await sends(ana), AUDIO), undefined);
    }
    assert.ok(meeting.relayed.length >= 4, 'two hellos and two sealed keys went through');
    for (const party of [ana, bea]) party.keys.stop();
  });

  it('sends a reloaded page (same participant, new public key) everything again', async () => {
    const meeting = new Meeting();
    const ana = await meeting.join('ana');
    await meeting.join('bea');
    await meeting.settle();
    meeting.parties.get('bea')!.keys.stop();
    meeting.parties.delete('bea');
    // The page came back under the same id: nobody saw it leave or join.
    const cryptor = new FrameCryptor();
    const again = await AutomaticKeys.create({
      selfId: 'bea',
      send: (to, message) => meeting.parties.get(to)?.keys.handle('bea', message),
      setKey: (owner, index, material, use) => cryptor.setKey(owner, index, material, use),
      forget: (owner) => cryptor.forget(owner),
    });
    const bea: Party = { id: 'bea', keys: again, cryptor, seen: [] };
    meeting.parties.set('bea', bea);
    again.greet(['ana']);
    await meeting.settle();
    assert.ok(await opens(bea, ana, await sends(ana)), 'the new page decrypts Ana');
    assert.ok(await opens(ana, bea, await sends(bea)), 'Ana decrypts the new page');
    for (const party of [ana, bea]) party.keys.stop();
  });
});
