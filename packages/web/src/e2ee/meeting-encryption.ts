import { AutomaticKeys } from './automatic-keys.js';
import { OWN_KEYS } from './frame-cryptor.js';
import { MediaEncryption } from './media-encryption.js';

export interface MeetingEncryptionOptions {
  /** Sends an opaque key-exchange message to one participant (through the server's relay). */
  send: (to: string, message: string) => void;
  /** Whose media reached us encrypted and decrypted in the last second changed. */
  encryptedSenders: (ids: ReadonlySet<string>) => void;
  /** Keys were exchanged with `id`: the verification code the two of them can compare. */
  paired: (id: string, code: string) => void;
}

/**
 * End-to-end encryption over one stay in a room: the media crypto (worker and transforms)
 * and where its keys come from — exchanged automatically between the browsers, or one
 * key everyone shares (an integrator's, or a passphrase's), which then replaces them.
 */
export class MeetingEncryption {
  readonly #options: MeetingEncryptionOptions;
  #media: MediaEncryption | undefined;
  /** Messages that arrive while our keys are being made wait for them, in order. */
  #keys: Promise<AutomaticKeys | undefined> = Promise.resolve(undefined);
  /** The shared keys given so far (slot → material) and the slot in use; empty: automatic keys. */
  readonly #sharedKeys = new Map<number, Uint8Array<ArrayBuffer>>();
  #sharedIndex = 0;
  /** Never exchange keys: wait for the application's (Jitsi's `e2ee.externallyManagedKey`). */
  #applicationKeysOnly = false;
  /** The automatic keys once made (for their key index). */
  #automatic: AutomaticKeys | undefined;
  /** Frames per sender the worker could not decrypt, as it last reported. */
  #failures: Record<string, number> = {};
  #decrypted: Record<string, number> = {};
  #encryptedSenders: ReadonlySet<string> = new Set();

  constructor(options: MeetingEncryptionOptions) {
    this.#options = options;
  }

  /** The media crypto while encryption is on. */
  get media(): MediaEncryption | undefined {
    return this.#media;
  }

  /** On, with the participants here now; returns the media crypto for the engine. */
  enable(selfId: string, participantIds: readonly string[]): MediaEncryption {
    if (this.#media) return this.#media;
    const media = (this.#media = new MediaEncryption());
    this.#failures = {};
    this.#decrypted = {};
    media.on('report', (decrypted, failures) => this.#report(decrypted, failures));
    if (this.#sharedKeys.size > 0 || this.#applicationKeysOnly) this.#applySharedKeys(media);
    else {
      this.#keys = AutomaticKeys.create({
        selfId,
        send: this.#options.send,
        setKey: (owner, index, material, use) => media.setKey(owner, index, material, use),
        forget: (owner) => media.forget(owner),
        paired: this.#options.paired,
      }).then((keys) => {
        keys.greet(participantIds);
        this.#automatic = keys;
        return keys;
      });
    }
    return media;
  }

  /** Off: the worker goes, and every key with it. */
  disable(): void {
    this.#automatic = undefined;
    this.#setEncryptedSenders(new Set());
    void this.#keys.then((keys) => keys?.stop());
    this.#keys = Promise.resolve(undefined);
    this.#media?.close();
    this.#media = undefined;
  }

  /**
   * One key for everyone from now on (Jitsi's externally managed key, or a passphrase):
   * frames are sent under slot `index` of it, and everyone's are decrypted with it.
   */
  setSharedKey(index: number, material: Uint8Array<ArrayBuffer>): void {
    this.#sharedKeys.set(index, material);
    this.#sharedIndex = index;
    this.#automatic = undefined;
    void this.#keys.then((keys) => keys?.stop());
    this.#keys = Promise.resolve(undefined);
    if (this.#media) this.#applySharedKeys(this.#media);
  }

  /** Senders whose frames we decrypted since the previous report: their media reaches us encrypted. */
  #report(decrypted: Record<string, number>, failures: Record<string, number>): void {
    const senders = new Set(Object.keys(decrypted).filter((id) => (decrypted[id] ?? 0) > (this.#decrypted[id] ?? 0)));
    this.#decrypted = decrypted;
    this.#failures = failures;
    this.#setEncryptedSenders(senders);
  }

  #setEncryptedSenders(senders: ReadonlySet<string>): void {
    const same = senders.size === this.#encryptedSenders.size && [...senders].every((id) => this.#encryptedSenders.has(id));
    if (same) return;
    this.#encryptedSenders = senders;
    this.#options.encryptedSenders(senders);
  }

  /** Only keys the application gives from now on; until one arrives nothing is sent, nothing decrypts. */
  useApplicationKeysOnly(): void {
    this.#applicationKeysOnly = true;
  }

  #applySharedKeys(media: MediaEncryption): void {
    media.setShared(true);
    for (const [index, material] of this.#sharedKeys) media.setKey(OWN_KEYS, index, material, index === this.#sharedIndex);
  }

  /** Frames per sender that could not be decrypted since encryption went on (a missing or wrong key). */
  get failures(): Readonly<Record<string, number>> {
    return this.#failures;
  }

  /** The slot of the key we send under (it changes when someone leaves, or the application gives a key), while encryption is on. */
  get keyIndex(): number | undefined {
    if (!this.#media) return undefined;
    return this.#sharedKeys.size > 0 ? this.#sharedIndex : this.#automatic?.currentIndex;
  }

  participantJoined(id: string): void {
    void this.#keys.then((keys) => keys?.participantJoined(id));
  }

  participantLeft(id: string): void {
    void this.#keys.then((keys) => keys?.participantLeft(id));
    if (this.#sharedKeys.size > 0) this.#media?.forget(id);
  }

  /** A key-exchange message another participant sent us. */
  handle(from: string, message: string): void {
    void this.#keys.then((keys) => keys?.handle(from, message));
  }
}
