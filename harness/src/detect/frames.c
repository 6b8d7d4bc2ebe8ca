#include "frames.h"

#include <string.h>

#include "util.h"

static int under(const char *file, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return n > 0 && strncmp(file, dir, n) == 0 && file[n] == '/';
}

int rl_frame_pick(const struct rl_frame *fr, int n, const char *case_dir)
{
    if (case_dir && *case_dir)
        for (int i = 0; i < n; i++)
            if (under(fr[i].file, case_dir))
                return i;
    for (int i = 0; i < n; i++)
        if (fr[i].file[0] == '/' && strncmp(fr[i].file, "/usr/", 5) != 0)
            return i;
    for (int i = 0; i < n; i++)
        if (fr[i].fn[0])
            return i;
    return -1;
}

void rl_finding_add_stack(struct rl_finding *f, const struct rl_frame *fr, int n,
                          const char *case_dir)
{
    int i = rl_frame_pick(fr, n, case_dir);
    if (i < 0)
        return;
    f->names_cut |= rl_list_add(f->functions, sizeof f->functions, fr[i].fn) != 0;
    if (fr[i].file[0] == '\0' || f->file2[0])
        return;
    const char *file = fr[i].file;
    if (case_dir && under(file, case_dir))
        file += strlen(case_dir) + (case_dir[strlen(case_dir) - 1] == '/' ? 0 : 1);
    if (f->file[0] == '\0') {
        rl_strlcpy(f->file, file, sizeof f->file);
        f->line = fr[i].line;
    } else {
        rl_strlcpy(f->file2, file, sizeof f->file2);
        f->line2 = fr[i].line;
    }
}
