/*
 * engine.h - what the engine offers the rest of the library beyond sonar.h.
 */
#ifndef SONAR_ENGINE_H
#define SONAR_ENGINE_H

#include "sonar.h"

/*
 * sonar_engine_multiping() whose results are written into the caller's
 * hosts[] (room for n) as targets finish, rtts owned by the caller: the
 * blocking sonar_multiping() holds 10,000 results once, not twice.
 */
int engine_multiping_into(struct sonar_engine *e, const char *const *addresses, size_t n,
                          const struct sonar_options *o, sonar_done_cb on_done, void *user,
                          struct sonar_host *hosts);

#endif
