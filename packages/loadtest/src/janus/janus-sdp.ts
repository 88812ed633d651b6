/**
 * The little SDP surgery the Janus adapter needs: which SSRC Janus sends on each
 * m-line of a subscriber offer, announcing our simulcast SSRCs in a publisher
 * offer (Janus maps SSRC-based simulcast from `a=ssrc-group:SIM`, so the paced
 * publisher needs no RID header extension), and dropping the RTCP feedback werift
 * echoes from Janus's offer into its answer.
 */

interface Section {
  mid: string | undefined;
  lines: string[];
}

function sections(sdp: string): { session: string[]; media: Section[] } {
  const session: string[] = [];
  const media: Section[] = [];
  for (const line of sdp.split(/\r?\n/).filter(Boolean)) {
    if (line.startsWith('m=')) media.push({ mid: undefined, lines: [line] });
    else if (media.length === 0) session.push(line);
    else {
      const section = media[media.length - 1]!;
      section.lines.push(line);
      if (line.startsWith('a=mid:')) section.mid = line.slice('a=mid:'.length);
    }
  }
  return { session, media };
}

/** mid → the SSRC of the media (not its retransmissions) Janus sends there, for every m-line with one. */
export function mediaSsrcsByMid(sdp: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const { mid, lines } of sections(sdp).media) {
    if (mid === undefined) continue;
    // With RTX, 'a=ssrc-group:FID <media> <rtx>' names the media SSRC first; without, the first a=ssrc is it.
    const fid = lines.find((line) => line.startsWith('a=ssrc-group:FID '));
    const ssrc = fid ? fid.split(' ')[1] : lines.find((line) => line.startsWith('a=ssrc:'))?.slice('a=ssrc:'.length).split(' ')[0];
    if (ssrc !== undefined) result.set(mid, Number(ssrc));
  }
  return result;
}

/** Replaces the SSRCs of the m-line `mid` by one per simulcast layer (lowest first), grouped as SIM when more than one. */
export function announceSimulcastSsrcs(sdp: string, mid: string, ssrcs: number[], cname: string): string {
  const { session, media } = sections(sdp);
  const section = media.find((candidate) => candidate.mid === mid);
  if (!section) throw new Error(`the offer has no m-line with mid ${mid}`);
  section.lines = section.lines.filter((line) => !line.startsWith('a=ssrc:') && !line.startsWith('a=ssrc-group:'));
  if (ssrcs.length > 1) section.lines.push(`a=ssrc-group:SIM ${ssrcs.join(' ')}`);
  for (const ssrc of ssrcs) section.lines.push(`a=ssrc:${ssrc} cname:${cname}`);
  return [...session, ...media.flatMap((candidate) => candidate.lines)].join('\r\n') + '\r\n';
}

/**
 * Our answer without RTCP feedback: werift accepts whatever feedback Janus offers
 * (NACK among it, which makes Janus keep every sent packet for retransmission),
 * while the Tertulia adapter negotiates none with mediasoup.
 */
export function withoutRtcpFeedback(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line && !line.startsWith('a=rtcp-fb:'))
    .join('\r\n') + '\r\n';
}
