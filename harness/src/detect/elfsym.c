#include "elfsym.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sym {
    unsigned long start, size;
    char *name;
};

struct rl_elfsym {
    struct sym *v;
    size_t n;
};

struct rl_elfsym *rl_elfsym_open(const char *path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    struct rl_elfsym *s = calloc(1, sizeof *s);
    size_t cap = 0;
    Elf_Scn *scn = NULL;
    while (elf && s && (scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 0; data && i < count; i++) {
            GElf_Sym sym;
            if (gelf_getsym(data, (int)i, &sym) == NULL)
                continue;
            int type = GELF_ST_TYPE(sym.st_info);
            if (type != STT_OBJECT || sym.st_value == 0) /* TLS values are offsets, not addresses */
                continue;
            const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (name == NULL || *name == '\0')
                continue;
            if (s->n == cap) {
                cap = cap ? cap * 2 : 64;
                struct sym *v = realloc(s->v, cap * sizeof *v);
                if (v == NULL)
                    break;
                s->v = v;
            }
            s->v[s->n].start = sym.st_value;
            s->v[s->n].size = sym.st_size ? sym.st_size : 1;
            s->v[s->n].name = strdup(name);
            s->n++;
        }
    }
    if (elf)
        elf_end(elf);
    close(fd);
    return s;
}

const char *rl_elfsym_lookup(const struct rl_elfsym *s, unsigned long addr)
{
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (addr >= s->v[i].start && addr < s->v[i].start + s->v[i].size)
            return s->v[i].name;
    return NULL;
}

void rl_elfsym_close(struct rl_elfsym *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].name);
    free(s->v);
    free(s);
}
