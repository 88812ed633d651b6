import {
  IceCandidate,
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
  type RTCCertificate,
} from 'werift';

/** The remote end of one ICE-lite transport (a mediasoup WebRtcTransport, Janus's answer): what its signalling gives. */
export interface RemoteTransport {
  iceParameters: { usernameFragment: string; password: string };
  iceCandidates: Array<{ foundation: string; priority: number; address: string; protocol: string; port: number; type: string }>;
  fingerprints: Array<{ algorithm: string; value: string }>;
}

export interface LocalDtlsParameters {
  role: 'client';
  fingerprints: Array<{ algorithm: string; value: string }>;
}

/** One certificate per thread: making one costs tens of milliseconds, and every link may share it. */
let certificate: Promise<RTCCertificate> | undefined;

/**
 * One ICE + DTLS-SRTP connection to an SFU, built from werift's transports directly (no SDP):
 * we are the controlling ICE agent and the DTLS client. `onPacket` gets every received SRTP
 * packet undecrypted, because counting needs only the RTP header, which SRTP leaves in clear;
 * skipping the decryption is what lets one thread hold many subscribers.
 */
export class DtlsLink {
  readonly dtls: RTCDtlsTransport;
  #closed = false;

  private constructor(dtls: RTCDtlsTransport) {
    this.dtls = dtls;
  }

  /**
   * Connects to `remote`. `tellRemote` hands our DTLS parameters to the SFU and resolves once it
   * expects the handshake. With `onPacket` the link only receives: packets go to it raw, and
   * nothing can be sent. Without it, `dtls.sendRtp` sends.
   */
  static async connect(
    remote: RemoteTransport,
    tellRemote: (local: LocalDtlsParameters) => Promise<void>,
    onPacket: ((packet: Buffer) => void) | undefined,
  ): Promise<DtlsLink> {
    const cert = await (certificate ??= RTCDtlsTransport.SetupCertificate());
    const gatherer = new RTCIceGatherer({ useIpv6: false });
    const ice = new RTCIceTransport(gatherer);
    ice.connection.iceControlling = true;
    const dtls = new RTCDtlsTransport({}, ice, cert, [ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80]);
    const link = new DtlsLink(dtls);
    try {
      await gatherer.gather();
      ice.setRemoteParams(new RTCIceParameters({ ...remote.iceParameters, iceLite: true }));
      for (const c of remote.iceCandidates) {
        if (c.protocol !== 'udp') continue;
        await ice.addRemoteCandidate(new IceCandidate(1, c.foundation, c.address, c.port, c.priority, 'udp', c.type));
      }
      await ice.addRemoteCandidate(undefined);
      dtls.role = 'client';
      dtls.setRemoteParams(new RTCDtlsParameters(remote.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)), 'server'));
      await tellRemote({ role: 'client', fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm, value: f.value })) });
      if (onPacket) {
        // Marks SRTP as started so werift does not decrypt what arrives; onPacket reads the raw packets.
        dtls.srtpStarted = true;
        ice.connection.onData.subscribe((packet) => onPacket(packet));
      }
      await ice.start();
      await dtls.start();
      return link;
    } catch (error) {
      await link.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.dtls.stop().catch(() => undefined);
  }
}
