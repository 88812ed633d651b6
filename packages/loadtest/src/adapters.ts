import { JanusAdapter } from './janus/janus-adapter.js';
import { TertuliaAdapter } from './tertulia-adapter.js';
import type { SfuAdapter, SfuName } from './types.js';

/** The adapter that drives `sfu`. */
export function createAdapter(sfu: SfuName): SfuAdapter {
  return sfu === 'tertulia' ? new TertuliaAdapter() : new JanusAdapter();
}
