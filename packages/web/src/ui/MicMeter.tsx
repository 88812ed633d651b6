import { useEffect, useRef } from 'preact/hooks';

/** Levels below this are silence; above the top they fill the bar. */
const FLOOR_DB = -60;
const CEILING_DB = -12;
/** How much of the previous level remains each frame, so the bar falls smoothly instead of flickering. */
const DECAY = 0.85;

/** A bar that moves with the microphone's loudness, so people see that they are heard. */
export function MicMeter({ track }: { track: MediaStreamTrack | undefined }) {
  const bar = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = bar.current;
    if (!track || !element) return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let level = 0;
    let frame = 0;

    // Written straight to the DOM: re-rendering at 60 frames a second would be wasteful.
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const db = 20 * Math.log10(Math.sqrt(sum / samples.length) || 1e-8);
      const target = Math.min(1, Math.max(0, (db - FLOOR_DB) / (CEILING_DB - FLOOR_DB)));
      level = Math.max(target, level * DECAY);
      element.style.transform = `scaleX(${level.toFixed(3)})`;
      frame = requestAnimationFrame(draw);
    };
    draw();

    // Without a prior click on this page the context may start suspended; the first interaction wakes it.
    const resume = () => void context.resume().catch(() => undefined);
    resume();
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('pointerdown', resume);
      document.removeEventListener('keydown', resume);
      source.disconnect();
      void context.close().catch(() => undefined);
      element.style.transform = 'scaleX(0)';
    };
  }, [track]);

  return (
    <div class={`meter${track ? '' : ' meter--idle'}`} aria-hidden="true">
      <div class="meter__fill" ref={bar} />
    </div>
  );
}
