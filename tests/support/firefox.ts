import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer-core';

const run = promisify(execFile);

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

/** A private address that exists only on an interface of this machine made by the test. */
export const FIREFOX_MEDIA_IP = '10.202.0.1';
const LINK = 'tt-ff0';

/**
 * Firefox ESR gathers no loopback ICE candidates (even with `media.peerconnection.ice.loopback`),
 * so ICE to a server on 127.0.0.1 fails. A veth pair (this kernel has no dummy links) whose one
end holds a private address gives the
 * server's media an address Firefox does use, and the traffic still never leaves this machine.
 * Needs root, as the namespace tests do. Returns the address and a way to remove the interface.
 */
export async function createFirefoxMediaAddress(): Promise<{ address: string; close(): Promise<void> }> {
  const ip = (...args: string[]) => run('/usr/sbin/ip', args);
  await ip('link', 'del', LINK).catch(() => undefined); // left by a killed run
  await ip('link', 'add', LINK, 'type', 'veth', 'peer', 'name', 'tt-ff1');
  await ip('addr', 'add', `${FIREFOX_MEDIA_IP}/32`, 'dev', LINK);
  await ip('link', 'set', LINK, 'up');
  // Deleting one end of a veth pair deletes both.
  return { address: FIREFOX_MEDIA_IP, close: () => ip('link', 'del', LINK).then(() => undefined) };
}
