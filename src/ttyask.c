/* ttyask.c: questions on the controlling terminal (/dev/tty) for the
 * day-2 commands in plain mode. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "ttyask.h"
#include "xmalloc.h"

/* One question at a time, whatever thread asks. */
static pthread_mutex_t ttyask_lock = PTHREAD_MUTEX_INITIALIZER;

/* Ask on /dev/tty, with echo off when secret. Returns the line or NULL.
 * Caller frees (xfree_secret for secrets). */
static char *
ttyask_read(const char *prompt, int secret)
{
	struct termios old, quiet;
	char buf[1024], *s = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, restore = 0;
	char ch;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return NULL;
	if (secret) {
		if (tcgetattr(fd, &old) != 0)
			goto out;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
			goto out;
		restore = 1;
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto out;
	for (;;) {
		n = read(fd, &ch, 1);
		if (n <= 0)
			goto out;
		if (ch == '\n')
			break;
		if (len < sizeof buf - 1)
			buf[len++] = ch;
	}
	buf[len] = '\0';
	s = xstrdup(buf);
out:
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &old);
		if (write(fd, "\n", 1) < 0) {
			/* nothing to do: the answer is read */
		}
	}
	xwipe(buf, sizeof buf);
	close(fd);
	return s;
}

/* Transport prompt: an unknown host key is refused, with advice. */
static int
ttyask_hostkey(void *arg, const struct transport_hostkey *hk)
{
	(void)arg;
	pthread_mutex_lock(&ttyask_lock);
	fprintf(stderr, _("kubewiz: %s: unknown host key %s %s for %s, "
	    "refused. Check the fingerprint, then add the key to %s (one ssh "
	    "login), or run again with --accept-new-host-keys.\n"), hk->node,
	    hk->key_type, hk->fingerprint, hk->host, hk->known_hosts);
	pthread_mutex_unlock(&ttyask_lock);
	return 0;
}

/* The length of a question without its closing colon and spaces (ASCII,
 * or the full-width colon of a translation). */
size_t
ttyask_stem_len(const char *prompt)
{
	size_t	len = strlen(prompt);

	for (;;) {
		if (len > 0 && (prompt[len - 1] == ' ' ||
		    prompt[len - 1] == ':'))
			len--;
		else if (len >= 3 && memcmp(prompt + len - 3, "\xef\xbc\x9a",
		    3) == 0)
			len -= 3;
		else
			return len;
	}
}

/* Transport prompt: a password or passphrase, read with echo off. */
static char *
ttyask_secret(void *arg, const char *node, const char *prompt)
{
	char *text = NULL, *answer = NULL;
	size_t len;

	(void)arg;
	/* "[sudo] password for kw on k8s-master: " -> "...: "; a question
	 * that does not name the node gets its name. */
	len = ttyask_stem_len(prompt);
	if (node == NULL || strstr(prompt, node) != NULL)
		text = xasprintf("%.*s: ", (int)len, prompt);
	else
		text = xasprintf("%.*s (%s): ", (int)len, prompt, node);
	pthread_mutex_lock(&ttyask_lock);
	answer = ttyask_read(text, 1);
	pthread_mutex_unlock(&ttyask_lock);
	free(text);
	return answer;
}

/* Fill prompts with the terminal's answers. */
void
ttyask_prompts(struct transport_prompts *p)
{
	p->hostkey = ttyask_hostkey;
	p->secret = ttyask_secret;
	p->arg = NULL;
}

/* Read one line from the terminal. */
char *
ttyask_line(const char *prompt)
{
	char *s = NULL;

	pthread_mutex_lock(&ttyask_lock);
	s = ttyask_read(prompt, 0);
	pthread_mutex_unlock(&ttyask_lock);
	return s;
}

/* Read one line from the terminal with echo off. */
char *
ttyask_secret_line(const char *prompt)
{
	char *s = NULL;

	pthread_mutex_lock(&ttyask_lock);
	s = ttyask_read(prompt, 1);
	pthread_mutex_unlock(&ttyask_lock);
	return s;
}
