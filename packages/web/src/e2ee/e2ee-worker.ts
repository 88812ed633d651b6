/**
 * The worker that encrypts and decrypts every frame, off the page's thread. Frames come
 * through RTCRtpScriptTransform (the `rtctransform` event) or, in a Chromium without it,
 * as the encoded insertable streams the page transfers here.
 */
import { FrameCryptor, OWN_KEYS } from './frame-cryptor.js';
import type { FromWorker, ToWorker, TransformOptions } from './worker-messages.js';

/** How often decryption counts reach the page (also when nothing arrives: a sender gone quiet is seen as such). */
const REPORT_MS = 1_000;

type EncodedFrame = { data: ArrayBuffer; type?: string };

interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: TransformOptions;
  generateKeyFrame?: () => Promise<unknown>;
  sendKeyFrameRequest?: () => Promise<unknown>;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  onrtctransform?: ((event: { transformer: ScriptTransformer }) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;
const cryptor = new FrameCryptor();
/** Script transformers at work, to ask for keyframes when keys change. */
const transformers = new Set<ScriptTransformer>();
let shared = false;

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case 'setKey':
      cryptor.setKey(message.owner, message.index, message.material, message.use);
      if (message.use) askForKeyFrames(message.owner);
      break;
    case 'setShared':
      shared = message.shared;
      cryptor.setShared(message.shared);
      break;
    case 'forget':
      cryptor.forget(message.owner);
      break;
    case 'streams':
      void pipe(message.readable, message.writable, message.options);
      break;
  }
};

scope.onrtctransform = ({ transformer }) => {
  transformers.add(transformer);
  void pipe(transformer.readable, transformer.writable, transformer.options).finally(() => transformers.delete(transformer));
};

/**
 * A key changed: whoever could not decrypt until now needs a keyframe under it. Our new key
 * makes our senders send one; someone's new key makes us ask them for one (with a shared
 * key, everyone). Insertable streams have no way to ask: there the decoder's own requests do.
 */
function askForKeyFrames(owner: string): void {
  for (const transformer of transformers) {
    const { operation, kind, participantId } = transformer.options;
    if (kind !== 'video') continue;
    if (operation === 'encrypt' && owner === OWN_KEYS) void transformer.generateKeyFrame?.().catch(() => undefined);
    if (operation === 'decrypt' && (owner === participantId || (shared && owner === OWN_KEYS))) void transformer.sendKeyFrameRequest?.().catch(() => undefined);
  }
}

function pipe(readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame>, options: TransformOptions): Promise<void> {
  const transform = new TransformStream<EncodedFrame, EncodedFrame>({ transform: (frame, controller) => transformFrame(frame, controller, options) });
  return readable
    .pipeThrough(transform)
    .pipeTo(writable)
    .catch(() => undefined);
}

async function transformFrame(frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>, options: TransformOptions): Promise<void> {
  // Empty frames (a paused sender's) carry nothing to hide.
  if (frame.data.byteLength === 0) return controller.enqueue(frame);
  const info = { kind: options.kind, keyFrame: frame.type === 'key' };
  const data =
    options.operation === 'encrypt' ? await cryptor.encrypt(frame.data, info) : await cryptor.decrypt(options.participantId ?? '', frame.data, info);
  // Nothing unencrypted leaves, and nothing undecryptable reaches the decoder.
  if (!data) return;
  frame.data = data;
  controller.enqueue(frame);
}

setInterval(() => scope.postMessage({ type: 'report', decrypted: cryptor.allDecrypted(), failures: cryptor.allFailures() }), REPORT_MS);
