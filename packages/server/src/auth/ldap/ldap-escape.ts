/*
 * The login name a person types goes into an LDAP filter (LDAP_AUTH_METHOD=bind)
 * or a DN (fastbind). Escaped, it can only ever be a literal value: `*)(uid=*`
 * searches for an entry whose uid is that odd string, not for every entry.
 */

/** RFC 4515 §3: `*`, `(`, `)`, `\` and NUL become \XX, so the value cannot add wildcards or filter clauses. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (character) => `\\${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * RFC 4514 §2.4: `"`, `+`, `,`, `;`, `<`, `>`, `\` and `=` are backslash-escaped
 * (so the value cannot add RDNs or change the attribute), NUL becomes \00, and a
 * leading `#` or space and a trailing space are escaped so they stay part of the value.
 */
export function escapeDnValue(value: string): string {
  return value.replace(/["+,;<>\\=\0]|^[ #]| $/g, (character) => (character === '\0' ? '\\00' : `\\${character}`));
}

/**
 * Expands saslauthd's tokens in LDAP_FILTER: %u the login, %U its part before `@`,
 * %d the part after (empty without one), %% a percent sign. Every value is escaped
 * with `escape` for where the template puts it.
 */
export function expandLoginTemplate(template: string, login: string, escape: (value: string) => string): string {
  const at = login.lastIndexOf('@');
  const values: Record<string, string> = {
    u: login,
    U: at < 0 ? login : login.slice(0, at),
    d: at < 0 ? '' : login.slice(at + 1),
  };
  return template.replace(/%([%uUd])/g, (_, token: string) => (token === '%' ? '%' : escape(values[token]!)));
}
