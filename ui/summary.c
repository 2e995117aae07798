/* summary.c: the final screen after a verified install: nodes Ready, the
 * Dashboard URL, the admin-user token (masked until revealed, written to
 * a 0600 file, copied with OSC 52), its expiry, the kubeconfig. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "widgets.h"
#include "xmalloc.h"

struct summary {
	const struct cluster		*cl;
	const struct ui_install_ops	*ops;
	int				*ready;
	int				 reveal;
	int				 top;	/* scroll */
};

/* An output of the run, or NULL. */
static const char *
summary_output(struct summary *sm, const char *key)
{
	if (sm->ops->output == NULL)
		return NULL;
	return sm->ops->output(sm->ops->arg, key);
}

/* The namespace the admin-user lives in. */
static const char *
summary_namespace(const struct cluster *cl)
{
	return cl->dashboard.kind == DASHBOARD_HEADLAMP ? "kube-system" :
	    "kubernetes-dashboard";
}

/* The command that mints a new token. Caller frees. */
static char *
summary_mint_command(struct summary *sm)
{
	const char *kc = summary_output(sm, "KUBECONFIG");
	const char *ns = summary_namespace(sm->cl);
	char *kcopt;
	char *cmd;

	kcopt = kc != NULL ? xasprintf("--kubeconfig %s ", kc) : xstrdup("");
	if (cluster_profile(sm->cl) == PROFILE_CLASSIC)
		cmd = xasprintf("kubectl %s-n %s get secret $(kubectl %s-n %s "
		    "get sa/admin-user -o jsonpath='{.secrets[0].name}') -o "
		    "go-template='{{.data.token | base64decode}}'", kcopt, ns,
		    kcopt, ns);
	else
		cmd = xasprintf("kubectl %s-n %s create token admin-user "
		    "--duration=%s", kcopt, ns,
		    sm->cl->dashboard.token_duration != NULL ?
		    sm->cl->dashboard.token_duration : "24h");
	free(kcopt);
	return cmd;
}

/* Base64 of a string. Caller frees. */
static char *
summary_base64(const char *s)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(s), i, o = 0;
	unsigned v;
	char *out;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	for (i = 0; i < len; i += 3) {
		v = (unsigned char)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)s[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* Copy the token to the terminal's clipboard with OSC 52. */
static void
summary_copy(struct summary *sm)
{
	const char *token = summary_output(sm, "SECRET_DASHBOARD_TOKEN");
	char *b64, *seq;
	size_t len;

	if (token == NULL) {
		tui_message(&tui_global, 1, _("There is no token to copy."));
		return;
	}
	b64 = summary_base64(token);
	seq = xasprintf("\033]52;c;%s\a", b64);
	len = strlen(seq);
	fflush(stdout);
	if (write(STDOUT_FILENO, seq, len) != (ssize_t)len)
		tui_message(&tui_global, 1, _("Cannot write to the terminal."));
	else
		tui_message(&tui_global, 0, _("Token sent to the clipboard "
		    "(OSC 52; the terminal must allow it)."));
	xfree_secret(seq);
	xfree_secret(b64);
	clearok(curscr, TRUE);
}

/* Write the token to a new 0600 file. */
static void
summary_write_cb(void *arg, const char *path)
{
	struct summary *sm = arg;
	const char *token = summary_output(sm, "SECRET_DASHBOARD_TOKEN");
	size_t len;
	int fd;

	if (path == NULL || *path == '\0' || token == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		tui_message(&tui_global, 1, _("Cannot write %s: %s"), path,
		    strerror(errno));
		return;
	}
	len = strlen(token);
	if (fchmod(fd, 0600) != 0 || write(fd, token, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1) {
		tui_message(&tui_global, 1, _("Cannot write %s: %s"), path,
		    strerror(errno));
		close(fd);
		return;
	}
	if (close(fd) != 0) {
		tui_message(&tui_global, 1, _("Cannot write %s: %s"), path,
		    strerror(errno));
		return;
	}
	tui_message(&tui_global, 0, _("Token written to %s (mode 0600)."),
	    path);
}

/* Draw a label and a value. */
static int
summary_row(int y, int w, const char *label, const char *value, attr_t a)
{
	tui_put(y, 2, 20, A_BOLD, label);
	tui_put(y, 23, w - 25, a, value != NULL ? value : "-");
	return y + 1;
}

/* Draw text wrapped at x in width columns from y; returns the next y. */
static int
summary_wrapped(int y, int x, int width, int maxy, attr_t a, const char *text)
{
	char **lines = NULL;
	size_t i, n;

	n = wrap_text(text, width, &lines);
	for (i = 0; i < n; i++) {
		if (y < maxy)
			tui_put(y++, x, width, a, lines[i]);
		free(lines[i]);
	}
	free(lines);
	return y;
}

/* Draw the final screen. */
static void
summary_draw(struct screen *s, int w, int h)
{
	struct summary *sm = s->data;
	const struct tui_glyphs *g = &tui_global.g;
	const char *url = summary_output(sm, "DASHBOARD_URL");
	const char *token = summary_output(sm, "SECRET_DASHBOARD_TOKEN");
	const char *expires = summary_output(sm, "TOKEN_EXPIRES");
	const char *kc = summary_output(sm, "KUBECONFIG");
	char *title, *line, *mint, **lines = NULL;
	size_t i, n;
	int y = 2, shown = 0;

	title = xasprintf(_("kubewiz %s %s is installed"), g->hline,
	    sm->cl->name);
	tui_frame(w, h, title, _("v reveal token|c copy (OSC 52)|"
	    "w write to file|q quit"));
	free(title);
	line = xasprintf("%s %s", g->ok, _("The cluster is up and verified."));
	tui_put(y++, 2, w - 4, tui_attr(TS_OK), line);
	free(line);
	y++;
	/* Nodes, compactly when there are many or the token needs room. */
	if (sm->reveal) {
		for (i = 0; i < sm->cl->nnodes; i++)
			shown += sm->ready[i];
		line = xasprintf(_("%d of %zu nodes Ready"), shown,
		    sm->cl->nnodes);
		tui_put(y++, 2, w - 4, A_NORMAL, line);
		free(line);
		shown = (int)sm->cl->nnodes;
	}
	for (i = 0; !sm->reveal && i < sm->cl->nnodes && y < h - 14; i++) {
		line = xasprintf("%s %-20s %-16s %-14s %s",
		    sm->ready[i] ? g->ok : "-", sm->cl->nodes[i].name,
		    sm->cl->nodes[i].address,
		    cluster_role_name(sm->cl->nodes[i].role),
		    sm->ready[i] ? _("Ready") : _("skipped"));
		tui_put(y++, 2, w - 4, sm->ready[i] ? A_NORMAL :
		    tui_attr(TS_WARN), line);
		free(line);
		shown++;
	}
	if ((size_t)shown < sm->cl->nnodes) {
		line = xasprintf(_("... and %zu more nodes"),
		    sm->cl->nnodes - shown);
		tui_put(y++, 4, w - 6, tui_attr(TS_DIM), line);
		free(line);
	}
	y++;
	if (sm->cl->dashboard.kind != DASHBOARD_NONE) {
		y = summary_row(y, w, _("Dashboard URL"), url, A_BOLD);
		if (token == NULL)
			y = summary_row(y, w, _("Token"), _("(none)"), A_NORMAL);
		else if (!sm->reveal)
			y = summary_row(y, w, _("Token"),
			    _("******** hidden: press v to show it"),
			    A_NORMAL);
		else {
			tui_put(y, 2, 20, A_BOLD, _("Token"));
			n = wrap_text(token, w - 25, &lines);
			for (i = 0; i < n; i++) {
				if (y < h - 8)
					tui_put(y++, 23, w - 25, A_NORMAL,
					    lines[i]);
				free(lines[i]);
			}
			free(lines);
		}
		if (summary_output(sm, "DASHBOARD_TOKEN_FILE") != NULL)
			y = summary_row(y, w, _("Token file"),
			    summary_output(sm, "DASHBOARD_TOKEN_FILE"), A_NORMAL);
		/* The node reports "never" for a token without expiry. */
		if (expires != NULL && strcmp(expires, "never") == 0)
			expires = _("never");
		y = summary_row(y, w, _("Token expires"),
		    expires != NULL ? expires : "-", A_NORMAL);
	}
	y = summary_row(y, w, _("Kubeconfig"), kc, A_NORMAL);
	line = xasprintf("%s %s", g->fail, _("The token is cluster-admin: "
	    "anyone who has it controls the cluster. Keep it secret."));
	y = summary_wrapped(y < h - 4 ? y : h - 4, 2, w - 4, h - 2,
	    tui_attr(TS_WARN), line);
	free(line);
	if (sm->cl->dashboard.kind != DASHBOARD_NONE && y < h - 3) {
		mint = summary_mint_command(sm);
		tui_put(y++, 2, w - 4, A_BOLD, _("A new token:"));
		summary_wrapped(y, 4, w - 6, h - 2, A_NORMAL, mint);
		free(mint);
	}
}

/* Keys of the final screen. */
static int
summary_key(struct screen *s, int key)
{
	struct summary *sm = s->data;
	char *def;

	switch (key) {
	case 'v':
		sm->reveal = !sm->reveal;
		return 1;
	case 'c':
		summary_copy(sm);
		return 1;
	case 'w':
		def = xasprintf("./%s-dashboard-token", sm->cl->name);
		dialog_input(&tui_global, _("Write the token"),
		    _("File to create (mode 0600):"), def, summary_write_cb,
		    sm);
		free(def);
		return 1;
	case 'q':
	case TUI_ESC:
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		tui_global.quit = 1;
		return 1;
	}
	return 0;
}

/* Free the screen's data. */
static void
summary_free(struct screen *s)
{
	struct summary *sm = s->data;

	free(sm->ready);
	free(sm);
}

static const struct screen_ops summary_ops = {
	.name = "summary",
	.free = summary_free,
	.draw = summary_draw,
	.key = summary_key,
};

/* Open the final screen. */
void
summary_open(struct tui *t, const struct cluster *cl,
    const struct ui_install_ops *ops, const int *node_ready)
{
	struct summary *sm;
	size_t i;

	sm = xcalloc(1, sizeof *sm);
	sm->cl = cl;
	sm->ops = ops;
	sm->ready = xcalloc(cl->nnodes + 1, sizeof *sm->ready);
	for (i = 0; i < cl->nnodes; i++)
		sm->ready[i] = node_ready != NULL ? node_ready[i] : 1;
	tui_push(t, &summary_ops, sm, 0);
	tui_message(t, 0, NULL);
}
