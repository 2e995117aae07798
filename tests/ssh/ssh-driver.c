/* ssh-driver.c: drives the libssh transport for the tests in tests/ssh:
 * connects to one host and performs actions in order, printing results
 * the shell tests check.
 *
 * usage: ssh-driver [-A] [-F ssh_config] [-i identity] [-J jump]
 *	[-k known_hosts] [-l user] [-n node] [-p port] [-T timeout]
 *	host action...
 * actions: connect | run SCRIPT [TIMEOUT] | runfile FILE [TIMEOUT] |
 *	put LOCAL REMOTE MODE | cancel-after MS | pause MS | method
 *
 * Prompts are answered from the environment: KW_TEST_PASSWORD (login
 * and keyboard-interactive), KW_TEST_SUDO_PASSWORD ("[sudo]" prompts;
 * default KW_TEST_PASSWORD), KW_TEST_PASSPHRASE, KW_TEST_ACCEPT_HOSTKEY
 * (yes|no). Output lines go to the files $KW_TEST_OUT and $KW_TEST_ERR
 * when set. Exit status: 0, or 10 - the failing transport_status. */
#include "kwconfig.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ssh.h"
#include "xmalloc.h"

/* Output counters of one run. */
struct drv_counts {
	unsigned long	 lines[2];
	unsigned long	 bytes[2];
	size_t		 longest;
	FILE		*f[2];
};

/* A pending cancellation. */
struct drv_cancel {
	struct transport	*t;
	long			 ms;
};

static int	drv_prompts;

/* Answer a secret prompt from the environment. */
static char *
drv_secret(void *arg, const char *node, const char *prompt)
{
	const char	*v = NULL;

	(void)arg;
	drv_prompts++;
	printf("prompt: %s: %s\n", node, prompt);
	fflush(stdout);
	if (strncmp(prompt, "[sudo]", 6) == 0)
		v = getenv("KW_TEST_SUDO_PASSWORD");
	else if (strncmp(prompt, "Passphrase", 10) == 0)
		v = getenv("KW_TEST_PASSPHRASE");
	if (v == NULL)
		v = getenv("KW_TEST_PASSWORD");
	return v != NULL ? xstrdup(v) : NULL;
}

/* Answer a host key question from the environment. */
static int
drv_hostkey(void *arg, const struct transport_hostkey *hk)
{
	const char	*v = getenv("KW_TEST_ACCEPT_HOSTKEY");

	(void)arg;
	printf("hostkey: node=%s host=%s type=%s fp=%s file=%s\n", hk->node,
	    hk->host, hk->key_type, hk->fingerprint, hk->known_hosts);
	fflush(stdout);
	return v != NULL && strcmp(v, "yes") == 0;
}

/* Count and save output lines. */
static void
drv_line(void *arg, enum transport_stream s, const char *line, size_t len)
{
	struct drv_counts	*k = arg;
	int			 i = s == TRANSPORT_STDERR;

	k->lines[i]++;
	k->bytes[i] += len;
	if (len > k->longest)
		k->longest = len;
	if (k->f[i] != NULL) {
		fwrite(line, 1, len, k->f[i]);
		fputc('\n', k->f[i]);
	}
}

/* Cancel the transport after a delay (another thread). */
static void *
drv_cancel_thread(void *arg)
{
	struct drv_cancel	*dc = arg;
	struct timespec		 ts;

	ts.tv_sec = dc->ms / 1000;
	ts.tv_nsec = (dc->ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	transport_cancel(dc->t);
	return NULL;
}

/* Read a whole file. Caller frees. */
static char *
drv_read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	*len = 0;
	for (;;) {
		if (*len + 65536 > cap) {
			cap = cap * 2 + 65536;
			buf = xreallocarray(buf, 1, cap);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/* Open an output file named by an environment variable, if any. */
static FILE *
drv_open_env(const char *name)
{
	const char	*path = getenv(name);
	FILE		*f;

	if (path == NULL)
		return NULL;
	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

/* Milliseconds of a monotonic clock. */
static long long
drv_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run a script and report. */
static int
drv_run(struct transport *t, const char *script, size_t len, int timeout)
{
	struct drv_counts	 k;
	char			*cause = NULL;
	int			 rc, status = -1;
	long long		 start = drv_now_ms();

	memset(&k, 0, sizeof k);
	k.f[0] = drv_open_env("KW_TEST_OUT");
	k.f[1] = drv_open_env("KW_TEST_ERR");
	rc = transport_run(t, script, len, timeout, drv_line, &k, &status,
	    &cause);
	if (k.f[0] != NULL)
		fclose(k.f[0]);
	if (k.f[1] != NULL)
		fclose(k.f[1]);
	printf("run: rc=%d exit=%d out_lines=%lu err_lines=%lu out_bytes=%lu "
	    "err_bytes=%lu longest=%zu ms=%lld\n", rc, status, k.lines[0],
	    k.lines[1], k.bytes[0], k.bytes[1], k.longest,
	    drv_now_ms() - start);
	if (cause != NULL)
		printf("cause: %s\n", cause);
	free(cause);
	return rc;
}

/* Print usage and exit. */
static void
drv_usage(void)
{
	fprintf(stderr, "usage: ssh-driver [-A] [-F ssh_config] [-i identity] "
	    "[-J jump] [-k known_hosts] [-l user] [-n node] [-p port] "
	    "[-T timeout] host action...\n");
	exit(2);
}

/* Parse the options, connect and perform the actions in order. */
int
main(int argc, char **argv)
{
	struct transport_prompts	 prompts;
	struct ssh_params		 p;
	struct transport		*t = NULL;
	struct drv_cancel		 dc;
	struct timespec			 ts;
	pthread_t			 th;
	int				 ch, rc = 0, i, connected = 0;
	int				 cancelling = 0, timeout;
	char				*cause = NULL, *data;
	const char			*m;
	size_t				 len;
	long long			 start;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&p, 0, sizeof p);
	memset(&prompts, 0, sizeof prompts);
	prompts.secret = drv_secret;
	prompts.hostkey = drv_hostkey;
	p.prompts = &prompts;
	while ((ch = getopt(argc, argv, "AF:i:J:k:l:n:p:T:")) != -1) {
		switch (ch) {
		case 'A':
			p.accept_new_host_keys = 1;
			break;
		case 'F':
			p.ssh_config = optarg;
			break;
		case 'i':
			p.identity_file = optarg;
			break;
		case 'J':
			p.proxy_jump = optarg;
			break;
		case 'k':
			p.known_hosts = optarg;
			break;
		case 'l':
			p.user = optarg;
			break;
		case 'n':
			p.node = optarg;
			break;
		case 'p':
			p.port = atoi(optarg);
			break;
		case 'T':
			p.connect_timeout = atoi(optarg);
			break;
		default:
			drv_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		drv_usage();
	p.host = argv[0];
	if (p.node == NULL)
		p.node = "node1";
	t = ssh_transport_new(&p);

	for (i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "cancel-after") == 0 && i + 1 < argc) {
			dc.t = t;
			dc.ms = atol(argv[++i]);
			if (pthread_create(&th, NULL, drv_cancel_thread,
			    &dc) != 0)
				return 2;
			cancelling = 1;
			continue;
		}
		if (strcmp(argv[i], "pause") == 0 && i + 1 < argc) {
			dc.ms = atol(argv[++i]);
			ts.tv_sec = dc.ms / 1000;
			ts.tv_nsec = (dc.ms % 1000) * 1000000L;
			nanosleep(&ts, NULL);
			continue;
		}
		if (!connected || strcmp(argv[i], "connect") == 0) {
			start = drv_now_ms();
			rc = transport_connect(t, &cause);
			printf("connect: rc=%d ms=%lld\n", rc,
			    drv_now_ms() - start);
			if (rc != 0) {
				printf("cause: %s\n", cause);
				break;
			}
			m = ssh_transport_root_method(t);
			printf("root_method=%s\n", m != NULL ? m : "none");
			connected = 1;
			if (strcmp(argv[i], "connect") == 0)
				continue;
		}
		if (strcmp(argv[i], "method") == 0) {
			m = ssh_transport_root_method(t);
			printf("method: %s\n", m != NULL ? m : "none");
		} else if (strcmp(argv[i], "run") == 0 && i + 1 < argc) {
			data = argv[++i];
			timeout = 0;
			if (i + 1 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9')
				timeout = atoi(argv[++i]);
			rc = drv_run(t, data, strlen(data), timeout);
		} else if (strcmp(argv[i], "runfile") == 0 && i + 1 < argc) {
			data = drv_read_file(argv[++i], &len);
			timeout = 0;
			if (i + 1 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9')
				timeout = atoi(argv[++i]);
			rc = drv_run(t, data, len, timeout);
			free(data);
		} else if (strcmp(argv[i], "put") == 0 && i + 3 < argc) {
			data = drv_read_file(argv[i + 1], &len);
			start = drv_now_ms();
			rc = transport_put(t, argv[i + 2], data, len,
			    (int)strtol(argv[i + 3], NULL, 8), &cause);
			printf("put: rc=%d ms=%lld\n", rc,
			    drv_now_ms() - start);
			if (cause != NULL)
				printf("cause: %s\n", cause);
			free(data);
			i += 3;
		} else {
			fprintf(stderr, "bad action: %s\n", argv[i]);
			rc = -1;
		}
		free(cause);
		cause = NULL;
	}
	free(cause);
	printf("prompts=%d\n", drv_prompts);
	if (cancelling)
		pthread_join(th, NULL);
	transport_free(t);
	return rc == 0 ? 0 : 10 - rc;
}
