/*
 * priv.c - dropping privileges with raw capset()/prctl() (no libcap needed).
 *
 * Order matters: the bounding set is emptied while CAP_SETPCAP is still
 * held; ids change (which clears the permitted set for a non-root uid);
 * then what is left of the capability sets is cleared explicitly, for the
 * case where the real user is root itself (sudo), where changing ids drops
 * nothing.
 */
#include "config.h"
#include "priv.h"

#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The highest capability number this kernel knows. */
static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int n = 40;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 40;
		fclose(f);
	}
	return n;
}

int priv_drop(char *err, size_t errcap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	uid_t uid = getuid();
	gid_t gid = getgid();
	int c, n = last_cap();

	/* 1. the bounding set, while CAP_SETPCAP may still be held (without
	 *    it this fails harmlessly: there is then nothing to drop) */
	for (c = 0; c <= n; c++)
		prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* 2. the real user and group, in all three slots */
	if (getegid() != gid || getgid() != gid) {
		if (setgroups(0, NULL) < 0 && errno != EPERM) {
			snprintf(err, errcap, "cannot drop groups: %s", strerror(errno));
			return -1;
		}
	}
	if (setresgid(gid, gid, gid) < 0) {
		snprintf(err, errcap, "cannot become group %u: %s", (unsigned)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) < 0) {
		snprintf(err, errcap, "cannot become user %u: %s", (unsigned)uid, strerror(errno));
		return -1;
	}
	/* 3. no capability left in any set (a file capability or root) */
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0) {
		snprintf(err, errcap, "cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	/* 4. and none to be had again through exec */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errcap, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

bool raw_permitted(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd < 0)
		fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
