/* shim: what a lab node's fake tools point to; hands the call to the node's fake server. */

/*
 * Built by `lab up` (cc -O2 -o $LAB/fakes/shim shim.c). It passes its argv,
 * environment, umask, standard streams and working directory to the node's
 * fake server (fakesrv.py) over a unix socket, forwards the signals it gets,
 * and exits as the fake did (or dies of the same signal). Without a server
 * it runs the Python fake itself, as before: the fakes behave the same
 * either way; only the per-call start of Python is saved.
 */

#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHIM_SOCK	"/run/kubewiz-lab-fakes.sock"
#define SHIM_FAKE	"/var/lib/kubewiz-lab/fakes/fake"
#define SHIM_PYTHON	"/usr/bin/python3"

extern char **environ;

static int shim_fd = -1;

/* Signals forwarded to the fake. */
static const int shim_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH
};

/* Run the Python fake in this process (no server). */
static void
shim_fallback(int argc, char **argv)
{
	char	**nargv;
	char	 *name;
	int	  i;

	nargv = calloc((size_t)argc + 5, sizeof *nargv);
	if (nargv == NULL)
		_exit(127);
	name = strrchr(argv[0], '/');
	name = name != NULL ? name + 1 : argv[0];
	nargv[0] = (char *)SHIM_PYTHON;
	nargv[1] = (char *)SHIM_FAKE;
	nargv[2] = (char *)"--lab-tool";
	nargv[3] = name;
	for (i = 1; i < argc; i++)
		nargv[i + 3] = argv[i];
	execv(SHIM_PYTHON, nargv);
	fprintf(stderr, "lab fake: %s: %s\n", SHIM_PYTHON, strerror(errno));
	_exit(127);
}

/* Append a NUL-terminated field to the request. */
static void
shim_add(char **buf, size_t *len, size_t *size, const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*nb;

	while (*len + n > *size) {
		*size = *size ? *size * 2 : 4096;
		nb = realloc(*buf, *size);
		if (nb == NULL)
			_exit(127);
		*buf = nb;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
}

/* Forward a signal to the server as one byte. */
static void
shim_signal(int sig)
{
	unsigned char	 b = (unsigned char)sig;
	int		 saved = errno;

	if (write(shim_fd, &b, 1) == -1) {
		/* Nothing to do: the server is gone. */
	}
	errno = saved;
}

/* Write all of buf, with the descriptors on the first piece. */
static int
shim_send(int fd, const char *buf, size_t len, const int *fds, int nfds)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		char		buf[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	ssize_t		 n;

	memset(&msg, 0, sizeof msg);
	memset(&ctl, 0, sizeof ctl);
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	do
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	buf += n;
	len -= (size_t)n;
	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Call the fake through the server; exit as it did. */
int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct sigaction	 sa;
	char			*buf = NULL, tmp[32], reply[64];
	size_t			 len = 8, size = 0, got = 0, i;
	int			 fds[4], nfds = 0, fdmask = 0, fd, sig, code;
	mode_t			 um;
	ssize_t			 n;
	uint32_t		 blen;
	char			**e;

	if (argc < 1)
		return 127;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		shim_fallback(argc, argv);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strncpy(sun.sun_path, SHIM_SOCK, sizeof sun.sun_path - 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		close(fd);
		shim_fallback(argc, argv);
	}
	shim_fd = fd;

	for (i = 0; i < 3; i++) {
		if (fcntl((int)i, F_GETFD) != -1) {
			fds[nfds++] = (int)i;
			fdmask |= 1 << i;
		}
	}
	fds[nfds] = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fds[nfds] != -1)
		nfds++;
	um = umask(022);
	umask(um);

	/* Room for the header, then the fields. */
	size = 4096;
	buf = malloc(size);
	if (buf == NULL)
		return 127;
	snprintf(tmp, sizeof tmp, "%d", fdmask);
	shim_add(&buf, &len, &size, tmp);
	snprintf(tmp, sizeof tmp, "%o", (unsigned)um);
	shim_add(&buf, &len, &size, tmp);
	snprintf(tmp, sizeof tmp, "%d", argc);
	shim_add(&buf, &len, &size, tmp);
	for (i = 0; i < (size_t)argc; i++)
		shim_add(&buf, &len, &size, argv[i]);
	for (e = environ; *e != NULL; e++)
		shim_add(&buf, &len, &size, *e);
	memcpy(buf, "KWF1", 4);
	blen = (uint32_t)(len - 8);
	buf[4] = (char)(blen & 0xff);
	buf[5] = (char)((blen >> 8) & 0xff);
	buf[6] = (char)((blen >> 16) & 0xff);
	buf[7] = (char)((blen >> 24) & 0xff);

	/*
	 * Signals from now on go to the fake, except those ignored (as for a
	 * background job of a shell): Python leaves them ignored too.
	 */
	for (i = 0; i < sizeof shim_signals / sizeof shim_signals[0]; i++) {
		if (sigaction(shim_signals[i], NULL, &sa) == 0 &&
		    sa.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = shim_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(shim_signals[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);

	if (shim_send(fd, buf, len, fds, nfds) == -1) {
		fprintf(stderr, "lab fake: cannot reach the fake server: %s\n",
		    strerror(errno));
		return 127;
	}
	if (nfds > 0 && fds[nfds - 1] > 2)
		close(fds[nfds - 1]);
	free(buf);

	for (;;) {
		n = read(fd, reply + got, sizeof reply - 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply, '\n', got) != NULL || got == sizeof reply - 1)
			break;
	}
	reply[got] = '\0';
	if (sscanf(reply, "exit %d", &code) == 1)
		return code;
	if (sscanf(reply, "signal %d", &sig) == 1) {
		signal(sig, SIG_DFL);
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
		raise(sig);
		return 128 + sig;
	}
	fprintf(stderr, "lab fake: the fake server went away\n");
	return 255;
}
