// SPDX-License-Identifier: GPL-2.0
/*
 * Names of users and ports, looked up once each.  /etc/services is read
 * whole at the first port lookup (getservent(); the first entry for a
 * port and protocol wins, as with getservbyport()); user names are kept
 * for the last few uids seen, which in a socket table are few.
 */
#include <netdb.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lookups.h"

#define NUSERS		16
#define SERV_SLOTS	4096	/* a power of two above twice /etc/services */

static struct {
	unsigned int uid;
	char *name;		/* NULL: the uid has no name */
	int used;
} users[NUSERS];
static unsigned int next_user;

const char *user_name_cached(unsigned int uid)
{
	struct passwd *pw;
	unsigned int i;

	for (i = 0; i < NUSERS; i++)
		if (users[i].used && users[i].uid == uid)
			return users[i].name;
	pw = getpwuid(uid);
	i = next_user++ % NUSERS;
	free(users[i].name);
	users[i].uid = uid;
	users[i].name = pw ? strdup(pw->pw_name) : NULL;
	users[i].used = 1;
	return users[i].name;
}

static struct serv {
	unsigned int key;	/* port << 1 | udp, + 1; 0: empty */
	char *name;
} servs[SERV_SLOTS];
static int servs_loaded;

static struct serv *serv_slot(unsigned int key)
{
	unsigned int i = (key * 2654435761u) & (SERV_SLOTS - 1);

	while (servs[i].key && servs[i].key != key)
		i = (i + 1) & (SERV_SLOTS - 1);
	return &servs[i];
}

static void load_services(void)
{
	unsigned int n = 0, key;
	struct servent *se;
	struct serv *s;
	int udp;

	servs_loaded = 1;
	setservent(0);
	while ((se = getservent()) && n < SERV_SLOTS / 2) {
		if (!strcmp(se->s_proto, "udp"))
			udp = 1;
		else if (!strcmp(se->s_proto, "tcp"))
			udp = 0;
		else
			continue;
		key = (ntohs(se->s_port) << 1 | udp) + 1;
		s = serv_slot(key);
		if (s->key)
			continue;
		s->name = strdup(se->s_name);
		if (!s->name)
			break;
		s->key = key;
		n++;
	}
	endservent();
}

const char *service_name_cached(unsigned int port, int udp)
{
	if (!servs_loaded)
		load_services();
	return serv_slot((port << 1 | !!udp) + 1)->name;
}
