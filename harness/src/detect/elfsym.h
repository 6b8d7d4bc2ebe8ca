/* elfsym: name the global variable at an address of a non-PIE binary, from its symbol table.
 * DRD's XML gives only "Conflicting load ... at 0x00404030"; --read-var-info=yes would name
 * it but costs ~3.5 s per run here, so the native binaries are linked -no-pie and the harness
 * looks the address up itself. */
#ifndef RACELAB_ELFSYM_H
#define RACELAB_ELFSYM_H

#include <stddef.h>

struct rl_elfsym; /* opaque: the object symbols of one binary */

struct rl_elfsym *rl_elfsym_open(const char *path); /* NULL if unreadable */
/* Name of the data object containing addr, or NULL. */
const char *rl_elfsym_lookup(const struct rl_elfsym *s, unsigned long addr);
void rl_elfsym_close(struct rl_elfsym *s);

#endif
