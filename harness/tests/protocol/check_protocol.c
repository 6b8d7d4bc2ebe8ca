/* check_protocol: the fixture <-> harness protocol is spelled in one place,
 * fixtures/include/racelab/protocol.h. Every other C file under the folders given is read
 * with its comments removed, and a line fails when
 *   - a string literal holds a protocol word (a line tag, the TSan end marker, a variable
 *     the harness sets): it must use protocol.h's macro, or a result helper in a case;
 *   - (harness files) an exit code of the contract is written as a number: `case 30:`, or a
 *     comparison of an exit status or code with 10, 20, 30, 40, 50 or 64.
 * A folder given whose path ends in harness or harness/src holds harness files.
 *   check_protocol DIR...      exit 0 when every file keeps the rule, 1 naming each line */
#define _GNU_SOURCE
#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
    "racelab-result",   "racelab-timeline",      "racelab-tsan",
    "racelab-run",      "RACELAB_TSAN_FINDINGS", "RACELAB_RUN_TOKEN",
    "RACELAB_SLOWDOWN", "racelab-schedule",      "RACELAB_SCHEDULE"};
static regex_t exit_literal;
static int files, bad;
static int harness; /* the folder being walked is the harness's (it ends in harness or harness/src) */

/* The file's text with every comment replaced by spaces (line breaks kept), so that line
 * numbers stay right and a comment may name the protocol freely. */
static char *uncommented(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    size_t cap = 0;
    if (f == NULL || getdelim(&s, &cap, '\0', f) < 0) {
        fprintf(stderr, "check_protocol: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (s[i] == '"' || s[i] == '\'') { /* a literal: skip to its closing quote */
            char q = s[i];
            for (i++; s[i] != '\0' && s[i] != q; i++)
                if (s[i] == '\\' && s[i + 1] != '\0')
                    i++;
        } else if (s[i] == '/' && s[i + 1] == '/') {
            while (s[i + 1] != '\0' && s[i + 1] != '\n')
                s[i++] = ' ';
            s[i] = ' ';
        } else if (s[i] == '/' && s[i + 1] == '*') {
            s[i] = s[i + 1] = ' ';
            for (i += 2; s[i] != '\0' && !(s[i] == '*' && s[i + 1] == '/'); i++)
                if (s[i] != '\n')
                    s[i] = ' ';
            if (s[i] != '\0')
                s[i] = s[i + 1] = ' ', i++;
        }
        if (s[i] == '\0')
            break;
    }
    return s;
}

static void check_line(const char *path, int n, const char *line)
{
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        const char *at = strstr(line, words[w]);
        if (at == NULL)
            continue;
        int quotes = 0; /* inside a string literal: an odd number of quotes before it */
        for (const char *p = line; p < at; p++)
            quotes += *p == '"' && (p == line || p[-1] != '\\');
        if (quotes % 2) {
            printf("%s:%d: spells the protocol's \"%s\" by hand: use its macro from "
                   "racelab/protocol.h (a case: rl_result, rl_fair_result, coop_result)\n",
                   path, n, words[w]);
            bad++;
        }
    }
    if (harness && regexec(&exit_literal, line, 0, NULL, 0) == 0) {
        printf("%s:%d: writes an exit code of the contract as a number: use enum rl_exit from "
               "racelab/protocol.h\n",
               path, n);
        bad++;
    }
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    size_t len = strlen(path);
    if (type != FTW_F || len < 2 || path[len - 2] != '.' ||
        (path[len - 1] != 'c' && path[len - 1] != 'h'))
        return 0;
    if (strcmp(path + (len >= 10 ? len - 10 : 0), "protocol.h") == 0)
        return 0;
    files++;
    char *text = uncommented(path), *save = NULL;
    int n = 0;
    for (char *p = text; p != NULL; p = save) {
        char *nl = strchr(p, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        n++;
        check_line(path, n, p);
    }
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: check_protocol DIR...\n");
        return 2;
    }
    if (regcomp(
            &exit_literal,
            "case[ \t]+(10|20|30|40|50|64)[ \t]*:|(exit|status|code)[A-Za-z_.>-]*[ \t]*[!=]=[ \t]*"
            "(10|20|30|40|50|64)([^0-9]|$)",
            REG_EXTENDED) != 0)
        return 2;
    for (int i = 1; i < argc; i++) {
        size_t len = strlen(argv[i]);
        while (len > 1 && argv[i][len - 1] == '/')
            argv[i][--len] = '\0';
        harness = (len >= 7 && strcmp(argv[i] + len - 7, "harness") == 0) ||
                  (len >= 11 && strcmp(argv[i] + len - 11, "harness/src") == 0);
        if (nftw(argv[i], visit, 16, FTW_PHYS) != 0) {
            fprintf(stderr, "check_protocol: cannot walk %s\n", argv[i]);
            return 2;
        }
    }
    if (bad == 0)
        printf("protocol: %d files, every tag and exit code from racelab/protocol.h\n", files);
    return bad ? 1 : 0;
}
