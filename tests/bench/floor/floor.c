/*
 * The floor: the least CPU one forwarded packet can cost on this machine, i.e.
 * one SRTP encryption of a 1,100-byte RTP packet (Debian's libsrtp2, the same
 * library the mediasoup worker is built against here) plus one sendto() of it
 * to a UDP socket on loopback. Nothing an SFU does per packet is cheaper.
 *
 * Usage: floor <seconds per measurement> <cipher>...
 * ciphers: AEAD_AES_128_GCM AEAD_AES_256_GCM AES_CM_128_HMAC_SHA1_80
 * Prints one line per cipher:
 *   cipher=<name> protect_ns=<n> sendto_ns=<n> total_ns=<n> pps_per_core=<n>
 * CPU time is the sending thread's own (CLOCK_THREAD_CPUTIME_ID); on loopback
 * the kernel delivers to the receiving socket in the sender's context, so that
 * time includes the receive path. A second thread drains the sink socket so
 * the kernel never takes the cheaper "receive buffer full, drop" path; it polls
 * without sleeping, so the sender never pays for waking it (which would double
 * the figure here): what remains is what every packet must cost.
 */
#define _GNU_SOURCE /* recvmmsg */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET_BYTES 1100
#define RTP_HEADER_BYTES 12
#define BATCH 2000

static double thread_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* Reads and discards everything arriving at the sink, in batches, never blocking. */
static void *drain(void *arg) {
  int fd = *(int *)arg;
  static char buffers[64][2048];
  struct mmsghdr messages[64];
  struct iovec iov[64];
  for (int i = 0; i < 64; i++) {
    iov[i].iov_base = buffers[i];
    iov[i].iov_len = sizeof buffers[i];
    memset(&messages[i].msg_hdr, 0, sizeof messages[i].msg_hdr);
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  for (;;) recvmmsg(fd, messages, 64, MSG_DONTWAIT, NULL);
  return NULL; /* never: the process ends when main returns */
}

static int set_policy(const char *cipher, srtp_policy_t *policy) {
  memset(policy, 0, sizeof *policy);
  if (strcmp(cipher, "AEAD_AES_128_GCM") == 0) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy->rtp);
  } else if (strcmp(cipher, "AEAD_AES_256_GCM") == 0) {
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy->rtp);
  } else if (strcmp(cipher, "AES_CM_128_HMAC_SHA1_80") == 0) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy->rtp);
  } else {
    return -1;
  }
  srtp_crypto_policy_set_rtcp_default(&policy->rtcp);
  return 0;
}

struct sender {
  srtp_t session;
  int fd;
  struct sockaddr_in sink;
  unsigned char plain[PACKET_BYTES];
  unsigned char wire[PACKET_BYTES + SRTP_MAX_TRAILER_LEN];
  uint16_t seq;
  int wire_len;
};

/* Encrypts the next packet (sequence numbers must advance: libsrtp refuses to protect an index twice). */
static void protect_next(struct sender *s) {
  memcpy(s->wire, s->plain, PACKET_BYTES);
  s->seq++;
  s->wire[2] = s->seq >> 8;
  s->wire[3] = s->seq & 0xff;
  s->wire_len = PACKET_BYTES;
  srtp_err_status_t status = srtp_protect(s->session, s->wire, &s->wire_len);
  if (status != srtp_err_status_ok) {
    fprintf(stderr, "srtp_protect failed: %d\n", status);
    exit(1);
  }
}

static void send_wire(struct sender *s) {
  if (sendto(s->fd, s->wire, s->wire_len, 0, (struct sockaddr *)&s->sink, sizeof s->sink) < 0) die("sendto");
}

enum mode { PROTECT, SEND, BOTH };

/* Thread CPU nanoseconds per packet, over at least `seconds` of this thread's CPU time. */
static double measure(struct sender *s, enum mode mode, double seconds) {
  if (mode == SEND) protect_next(s);
  double started = thread_cpu_seconds(), elapsed = 0;
  long packets = 0;
  while (elapsed < seconds) {
    for (int i = 0; i < BATCH; i++) {
      if (mode != SEND) protect_next(s);
      if (mode != PROTECT) send_wire(s);
    }
    packets += BATCH;
    elapsed = thread_cpu_seconds() - started;
  }
  return elapsed * 1e9 / packets;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <seconds per measurement> <cipher>...\n", argv[0]);
    return 2;
  }
  double seconds = atof(argv[1]);
  if (srtp_init() != srtp_err_status_ok) {
    fprintf(stderr, "srtp_init failed\n");
    return 1;
  }

  int sink = socket(AF_INET, SOCK_DGRAM, 0);
  if (sink < 0) die("socket");
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(sink, (struct sockaddr *)&address, sizeof address) < 0) die("bind");
  socklen_t length = sizeof address;
  if (getsockname(sink, (struct sockaddr *)&address, &length) < 0) die("getsockname");
  pthread_t drainer;
  if (pthread_create(&drainer, NULL, drain, &sink) != 0) die("pthread_create");

  static struct sender s;
  s.fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (s.fd < 0) die("socket");
  s.sink = address;
  /* RTP version 2, payload type 96 (VP8), fixed timestamp and SSRC; the rest is payload. */
  memset(s.plain, 0xab, PACKET_BYTES);
  unsigned char header[RTP_HEADER_BYTES] = {0x80, 96, 0, 0, 0, 0, 0x10, 0, 0x12, 0x34, 0x56, 0x78};
  memcpy(s.plain, header, RTP_HEADER_BYTES);

  unsigned char key[64];
  for (unsigned i = 0; i < sizeof key; i++) key[i] = (unsigned char)(i * 7 + 1);
  for (int i = 2; i < argc; i++) {
    srtp_policy_t policy;
    if (set_policy(argv[i], &policy) != 0) {
      fprintf(stderr, "unknown cipher %s (use AEAD_AES_128_GCM, AEAD_AES_256_GCM or AES_CM_128_HMAC_SHA1_80)\n", argv[i]);
      return 2;
    }
    policy.ssrc.type = ssrc_any_outbound;
    policy.key = key;
    policy.window_size = 1024;
    if (srtp_create(&s.session, &policy) != srtp_err_status_ok) {
      fprintf(stderr, "srtp_create failed for %s\n", argv[i]);
      return 1;
    }
    double protect_ns = measure(&s, PROTECT, seconds);
    double sendto_ns = measure(&s, SEND, seconds);
    double total_ns = measure(&s, BOTH, seconds);
    printf("cipher=%s protect_ns=%.1f sendto_ns=%.1f total_ns=%.1f pps_per_core=%.0f\n", argv[i], protect_ns, sendto_ns,
           total_ns, 1e9 / total_ns);
    fflush(stdout);
    srtp_dealloc(s.session);
  }
  return 0;
}
