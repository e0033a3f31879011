/*
 * atomic.h - replacing a user's file (the saved target list, the
 * configuration) so that a reader sees the old text or the new one, never
 * a part, and the file stays where and what it was.
 */
#ifndef SONAR_ATOMIC_H
#define SONAR_ATOMIC_H

#include <stddef.h>

/*
 * Write text (len bytes) to path atomically: a temporary file in the same
 * folder, synced, then renamed over path. A symlink is followed (the file
 * it names is replaced, the link stays, also when it names a file not made
 * yet); an existing file keeps its mode, a new one gets the user's umask.
 * 0, or -1 with "cannot save to PATH: why" in err.
 */
int atomic_replace(const char *path, const char *text, size_t len, char *err, size_t errcap);
/* Make the folders above path (mkdir -p of its dirname), 0700 when new. */
void atomic_make_parents(const char *path);

#endif
