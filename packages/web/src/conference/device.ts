import { Device } from 'mediasoup-client';
import type { RtpCapabilities } from 'mediasoup-client/types';

/** A loaded mediasoup-client Device. It picks the WebRTC handler from the user agent; headless and embedded Chromium need a nudge. */
export async function createDevice(routerRtpCapabilities: RtpCapabilities): Promise<Device> {
  let device: Device;
  try {
    device = new Device();
  } catch {
    device = new Device({ handlerName: 'Chrome111' });
  }
  await device.load({ routerRtpCapabilities });
  return device;
}
