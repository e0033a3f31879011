/*
 * priv.h - least privilege: open what needs privilege first, then drop
 * every privilege before touching any input from the network or the user.
 */
#ifndef SONAR_PRIV_H
#define SONAR_PRIV_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Become the real user and group (undoing a setuid bit), drop every
 * capability from every set (effective, permitted, inheritable, ambient and
 * the bounding set) and set no_new_privs, so nothing later can regain any.
 * 0, or -1 with the reason in err.
 */
int priv_drop(char *err, size_t cap);
/* Can this process open raw ICMP sockets? */
bool raw_permitted(void);

#endif
