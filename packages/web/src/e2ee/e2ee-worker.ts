/**
 * The worker that encrypts and decrypts every frame, off the page's thread. Frames come
 * through RTCRtpScriptTransform (the `rtctransform` event) or, in a Chromium without it,
 * as the encoded insertable streams the page transfers here.
 */
import { FrameCryptor, OWN_KEYS } from './frame-cryptor.js';
import type { FromWorker, ToWorker, TransformOptions } from './worker-messages.js';

/** Failure counts reach the page at most this often. */
const FAILURE_REPORT_MS = 1_000;

type EncodedFrame = { data: ArrayBuffer; type?: string };

interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: TransformOptions;
  generateKeyFrame?: () => Promise<unknown>;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  onrtctransform?: ((event: { transformer: ScriptTransformer }) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;
const cryptor = new FrameCryptor();
/** Our senders' transformers, to ask for a keyframe when our key changes. */
const senders = new Set<ScriptTransformer>();
let reportTimer: ReturnType<typeof setTimeout> | undefined;

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case 'setKey':
      cryptor.setKey(message.owner, message.index, message.material, message.use);
      // Receivers that could not decrypt until now need a keyframe under the new key.
      if (message.owner === OWN_KEYS && message.use) for (const sender of senders) void sender.generateKeyFrame?.().catch(() => undefined);
      break;
    case 'setShared':
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
  if (transformer.options.operation === 'encrypt') senders.add(transformer);
  void pipe(transformer.readable, transformer.writable, transformer.options).finally(() => senders.delete(transformer));
};

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
  if (!data) {
    // Nothing unencrypted leaves, and nothing undecryptable reaches the decoder.
    if (options.operation === 'decrypt') scheduleFailureReport();
    return;
  }
  frame.data = data;
  controller.enqueue(frame);
}

function scheduleFailureReport(): void {
  reportTimer ??= setTimeout(() => {
    reportTimer = undefined;
    scope.postMessage({ type: 'failures', failures: cryptor.allFailures() });
  }, FAILURE_REPORT_MS);
}
