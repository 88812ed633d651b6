/** Where install-service puts things; the unit and the setup steps must agree on them. */
export const SERVICE_PATHS = {
  unit: '/etc/systemd/system/tertulia.service',
  configDir: '/etc/tertulia',
  config: '/etc/tertulia/tertulia.json',
  dataDir: '/var/lib/tertulia',
} as const;

export interface UnitSettings {
  /** Absolute path of the node binary that runs the server. */
  nodePath: string;
  /** Absolute path of packages/cli/dist/main.js. */
  mainPath: string;
  user: string;
  group: string;
}

/** systemd quotes arguments with spaces; paths are otherwise written as they are. */
function quoted(path: string): string {
  return /[\s"'\\]/.test(path) ? `"${path.replace(/[\\"]/g, '\\$&')}"` : path;
}

/** The text of tertulia.service: `tertulia serve` as an unprivileged, sandboxed system service. */
export function systemdUnit({ nodePath, mainPath, user, group }: UnitSettings): string {
  return `# Written by \`tertulia install-service\`. Settings live in ${SERVICE_PATHS.config}.
[Unit]
Description=Tertulia video meetings
# Let's Encrypt and the public-address checks need the network up at start.
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=${quoted(nodePath)} ${quoted(mainPath)} serve
Environment=TERTULIA_CONFIG=${SERVICE_PATHS.config} NODE_ENV=production
User=${user}
Group=${group}
WorkingDirectory=${SERVICE_PATHS.dataDir}
# systemd creates ${SERVICE_PATHS.dataDir} (DATA_DIR: accounts, certificates) owned by ${user}; the only writable path.
StateDirectory=tertulia
StateDirectoryMode=0750
ConfigurationDirectory=tertulia
Restart=on-failure
RestartSec=2
StandardOutput=journal
StandardError=journal
SyslogIdentifier=tertulia
# Every participant holds a WebSocket and each media transport a UDP or TCP socket.
LimitNOFILE=65536
UMask=0077

# Ports 80 and 443 without root: the one capability the server needs, and the only one it can ever get.
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
# PrivateUsers= is left out: in a user namespace the ambient CAP_NET_BIND_SERVICE no longer
# applies to the host's network namespace, so binding 80/443 would fail.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateMounts=yes
DevicePolicy=closed
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
# ProcSubset=pid is left out: Node reads /proc/meminfo, /proc/cpuinfo and /proc/stat, OpenSSL /proc/sys/crypto.
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
KeyringMode=private
# AF_NETLINK: listing the network interfaces (media addresses) goes through netlink.
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
# Measured with strace on a meeting: Node and mediasoup-worker need nothing else but pkey_alloc,
# which V8 only probes: a call outside the list fails with EPERM instead of killing the process.
SystemCallErrorNumber=EPERM
# MemoryDenyWriteExecute= is left out: V8's JIT writes code pages and then executes them.

[Install]
WantedBy=multi-user.target
`;
}
