type Protocol = 'tcp' | 'udp';

/** The lines that open `port` for `protocols` in the usual firewalls, for a problem's fix. */
export function openPortHint(port: number, protocols: Protocol[]): string[] {
  const both = protocols.length > 1;
  const ufw = both ? `sudo ufw allow ${port}` : `sudo ufw allow ${port}/${protocols[0]}`;
  const nft = `sudo nft add rule inet filter input ${both ? `meta l4proto { ${protocols.join(', ')} } th` : protocols[0]} dport ${port} accept`;
  return [
    `Open ${protocols.map((protocol) => protocol.toUpperCase()).join(' and ')} port ${port} in this machine's firewall: \`${ufw}\`, or \`${nft}\` (\`sudo nft list ruleset\` shows the rules),`,
    `and in your hosting provider's firewall or security group if it has one.`,
  ];
}
