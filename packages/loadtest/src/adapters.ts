import { TertuliaAdapter } from './tertulia-adapter.js';
import type { SfuAdapter, SfuName } from './types.js';

/** The Janus adapter's module (helper package under janus/), loaded only for Janus runs. */
const JANUS_ADAPTER_MODULE = './janus/janus-adapter.js';

/** The adapter that drives `sfu`. */
export async function createAdapter(sfu: SfuName): Promise<SfuAdapter> {
  if (sfu === 'tertulia') return new TertuliaAdapter();
  const { JanusAdapter } = (await import(JANUS_ADAPTER_MODULE)) as { JanusAdapter: new () => SfuAdapter };
  return new JanusAdapter();
}
