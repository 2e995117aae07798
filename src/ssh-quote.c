/* ssh-quote.c: quoting of the words the transport puts on remote command
 * lines (paths, user names): POSIX shell single quotes. */
#include "kwconfig.h"

#include <string.h>

#include "ssh-int.h"
#include "xmalloc.h"

/* Return s in single quotes, each ' written as '\''. Caller frees. */
char *
sshconn_quote(const char *s)
{
	size_t	 n = 2, i;
	char	*q, *p;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\'' ? 4 : 1;
	q = p = xmalloc(n + 1);
	*p++ = '\'';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			*p++ = s[i];
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}
