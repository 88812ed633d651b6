import { networkInterfaces } from 'node:os';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Debian's Firefox ESR, headless, driven through WebDriver BiDi by puppeteer-core, with
 * a fake camera and microphone and no prompts: the second engine the browser tests run.
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr',
    headless: true,
    // A first start creates its profile, which takes a while on a loaded machine.
    timeout: 90_000,
    protocolTimeout: 90_000,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
    },
  });
}

/**
 * An address of this machine other than loopback, for the media a Firefox test receives:
 * Firefox ESR 140 gathers no loopback ICE candidates, even with
 * `media.peerconnection.ice.loopback`, so ICE to a server on 127.0.0.1 fails.
 */
export function nonLoopbackAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((info) => info?.family === 'IPv4' && !info.internal)?.address;
  if (!address) throw new Error('Firefox tests need an IPv4 address other than loopback on this machine (Firefox does not do ICE over loopback)');
  return address;
}
