// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "modload.h"

int ss_module_load(void)
{
	return ss_module_load_args("");
}

int ss_module_load_args(const char *args)
{
	const char *ko = getenv("SOCKSTAT_KO");
	int fd, err = 0;

	if (!ko)
		return -EINVAL;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, args, 0) && errno != EEXIST)
		err = -errno;
	close(fd);
	return err;
}

int ss_module_unload(void)
{
	return syscall(SYS_delete_module, "sockstat", O_NONBLOCK) ? -errno : 0;
}

int ss_module_loaded(void)
{
	return access("/sys/module/sockstat", F_OK) == 0;
}
