/** One picture in the recording: a camera or a shared screen, with whose it is. */
export interface RecordedVideo {
  track: MediaStreamTrack;
  name: string;
}

/** What the recording shows and plays now; asked again for every frame, so joins, leaves and mutes follow. */
export interface RecordingSources {
  videos: RecordedVideo[];
  audios: MediaStreamTrack[];
}

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;
const GAP = 4;
const BACKGROUND = '#111418';
/** WebM with VP8 and Opus plays everywhere that records it; the bare type lets the browser choose. */
const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm'];

/**
 * Records the meeting as this browser sees it (Jitsi's local recording): every video
 * drawn in a grid on a canvas with names, and everyone's audio (this person's
 * microphone included) mixed, into a WebM through MediaRecorder. Nothing leaves the
 * machine: `stop` hands back the file.
 */
export class LocalRecorder {
  readonly #sources: () => RecordingSources;
  readonly #canvas = document.createElement('canvas');
  readonly #context: CanvasRenderingContext2D;
  readonly #audio = new AudioContext();
  readonly #mix = this.#audio.createMediaStreamDestination();
  /** A playing <video> per video track (only a playing element gives the canvas frames), by track id. */
  readonly #players = new Map<string, HTMLVideoElement>();
  /** The audio tracks in the mix, by track id. */
  readonly #mixed = new Map<string, MediaStreamAudioSourceNode>();
  readonly #chunks: Blob[] = [];
  readonly #recorder: MediaRecorder;
  readonly #timer: ReturnType<typeof setInterval>;

  static supported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof AudioContext !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function';
  }

  constructor(sources: () => RecordingSources, onError: (error: Error) => void) {
    this.#sources = sources;
    this.#canvas.width = WIDTH;
    this.#canvas.height = HEIGHT;
    this.#context = this.#canvas.getContext('2d')!;
    this.#frame();
    const stream = new MediaStream([...this.#canvas.captureStream(FPS).getVideoTracks(), ...this.#mix.stream.getAudioTracks()]);
    const mimeType = MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    this.#recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.#recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.#chunks.push(event.data);
    });
    this.#recorder.addEventListener('error', (event) => onError((event as ErrorEvent).error ?? new Error('the browser stopped recording')));
    // Started without a click (the iframe API), the audio context may begin suspended.
    void this.#audio.resume();
    this.#recorder.start();
    this.#timer = setInterval(() => this.#frame(), 1000 / FPS);
  }

  /** Ends the recording and gives the file. */
  stop(): Promise<Blob> {
    clearInterval(this.#timer);
    return new Promise((resolve) => {
      this.#recorder.addEventListener('stop', () => {
        for (const player of this.#players.values()) player.srcObject = null;
        for (const track of this.#recorder.stream.getTracks()) track.stop();
        void this.#audio.close();
        resolve(new Blob(this.#chunks, { type: this.#recorder.mimeType || 'video/webm' }));
      });
      this.#recorder.stop();
    });
  }

  #frame(): void {
    const { videos, audios } = this.#sources();
    this.#syncAudio(audios);
    const players = this.#syncPlayers(videos);
    const ctx = this.#context;
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const columns = Math.ceil(Math.sqrt(videos.length));
    const rows = Math.ceil(videos.length / Math.max(columns, 1));
    const cellWidth = (WIDTH - GAP * (columns + 1)) / Math.max(columns, 1);
    const cellHeight = (HEIGHT - GAP * (rows + 1)) / Math.max(rows, 1);
    videos.forEach((video, index) => {
      const x = GAP + (index % columns) * (cellWidth + GAP);
      const y = GAP + Math.floor(index / columns) * (cellHeight + GAP);
      drawContained(ctx, players[index]!, x, y, cellWidth, cellHeight);
      drawName(ctx, video.name, x, y + cellHeight);
    });
  }

  /** Adds tracks that appeared to the mix and takes out those that went. */
  #syncAudio(tracks: MediaStreamTrack[]): void {
    const wanted = new Set(tracks.map((t) => t.id));
    for (const [id, node] of this.#mixed) {
      if (wanted.has(id)) continue;
      node.disconnect();
      this.#mixed.delete(id);
    }
    for (const track of tracks) {
      if (this.#mixed.has(track.id) || track.readyState === 'ended') continue;
      const node = this.#audio.createMediaStreamSource(new MediaStream([track]));
      node.connect(this.#mix);
      this.#mixed.set(track.id, node);
    }
  }

  /** A playing element per video, in the videos' order; elements of tracks gone are let go. */
  #syncPlayers(videos: RecordedVideo[]): HTMLVideoElement[] {
    const wanted = new Set(videos.map((v) => v.track.id));
    for (const [id, player] of this.#players) {
      if (wanted.has(id)) continue;
      player.srcObject = null;
      this.#players.delete(id);
    }
    return videos.map(({ track }) => {
      let player = this.#players.get(track.id);
      if (!player) {
        player = document.createElement('video');
        player.muted = true;
        player.playsInline = true;
        player.srcObject = new MediaStream([track]);
        void player.play().catch(() => undefined);
        this.#players.set(track.id, player);
      }
      return player;
    });
  }
}

/** The video's frame as large as fits the cell, centred, its proportions kept. */
function drawContained(ctx: CanvasRenderingContext2D, player: HTMLVideoElement, x: number, y: number, width: number, height: number): void {
  ctx.fillStyle = '#1e232a';
  ctx.fillRect(x, y, width, height);
  if (player.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || player.videoWidth === 0) return;
  const scale = Math.min(width / player.videoWidth, height / player.videoHeight);
  const w = player.videoWidth * scale;
  const h = player.videoHeight * scale;
  ctx.drawImage(player, x + (width - w) / 2, y + (height - h) / 2, w, h);
}

function drawName(ctx: CanvasRenderingContext2D, name: string, x: number, bottom: number): void {
  if (!name) return;
  ctx.font = '600 20px system-ui, sans-serif';
  const width = ctx.measureText(name).width + 16;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x + 8, bottom - 38, width, 30);
  ctx.fillStyle = '#fff';
  ctx.fillText(name, x + 16, bottom - 16);
}
