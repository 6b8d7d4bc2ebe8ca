#include "expect.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "util.h"

static int fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(err, errlen, "%s:%d: %s", path, line, msg);
    else
        snprintf(err, errlen, "%s: %s", path, msg);
    return -1;
}

/* Split off the next white-space separated word; returns NULL at end of line. */
static char *next_word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return NULL;
    char *w = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return w;
}

static int valid_name(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
            return 0;
    return 1;
}

/* A whole decimal number from lo to hi, nothing else; -1 otherwise. */
static long whole_number(const char *s, long lo, long hi)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return *end != '\0' || errno != 0 || v < lo || v > hi ? -1 : v;
}

static int parse_findings(struct rl_expect_row *r, char *spec, const char *path, int line,
                          char *err, size_t errlen)
{
    if (strlen(spec) >= sizeof r->findings_spec)
        return fail(err, errlen, path, line, "findings longer than %zu characters",
                    sizeof r->findings_spec - 1);
    rl_strlcpy(r->findings_spec, spec, sizeof r->findings_spec);
    if (strcmp(spec, "-") == 0) {
        r->no_detector = 1;
        return 0;
    }
    if (strcmp(spec, "clean") == 0)
        return 0;
    for (char *item = strtok(spec, ","); item; item = strtok(NULL, ",")) {
        char *colon = strchr(item, ':');
        if (colon == NULL)
            return fail(err, errlen, path, line,
                        "finding '%s' must be kind:name (e.g. race:counter), 'clean' or '-'", item);
        *colon = '\0';
        char *name = colon + 1;
        int kind = rl_kind_parse(item);
        if (kind < 0)
            return fail(err, errlen, path, line,
                        "unknown finding kind '%s' (race, lock-order, thread-leak, bad-unlock, "
                        "api-misuse, schedule)",
                        item);
        long count = 0;
        char *eq = strchr(name, '=');
        if (eq) {
            *eq = '\0';
            count = whole_number(eq + 1, 1, RL_EXPECT_MAX_COUNT);
            if (count < 0)
                return fail(err, errlen, path, line,
                            "count in '%s:%s=%s' must be a number from 1 to %d (kind:name=N: "
                            "exactly N reports)",
                            item, name, eq + 1, RL_EXPECT_MAX_COUNT);
        }
        if (strcmp(name, "*") != 0 && (!valid_name(name) || strlen(name) >= sizeof r->need[0].name))
            return fail(err, errlen, path, line,
                        "finding '%s:%s' must name the variable, lock or function (or '*' for any "
                        "name)",
                        item, name);
        for (int i = 0; i < r->n_need; i++)
            if (r->need[i].kind == (enum rl_kind)kind && strcmp(r->need[i].name, name) == 0)
                return fail(err, errlen, path, line,
                            "'%s:%s' is listed twice in one row (kind:name=N counts reports)", item,
                            name);
        if (r->n_need == RL_EXPECT_MAX_NEED)
            return fail(err, errlen, path, line, "more than %d findings in one row",
                        RL_EXPECT_MAX_NEED);
        r->need[r->n_need].kind = (enum rl_kind)kind;
        rl_strlcpy(r->need[r->n_need].name, name, sizeof r->need[0].name);
        r->need[r->n_need].count = (int)count;
        r->n_need++;
    }
    return 0;
}

/* exit:N, a program's own exit convention: a status the fixtures' contract does not use. */
static int parse_exit(struct rl_expect_row *r, const char *item, const char *path, int line,
                      char *err, size_t errlen)
{
    long code = whole_number(item + 5, 1, 255);
    if (code < 0)
        return fail(err, errlen, path, line, "exit status in '%s' must be a number from 1 to 255",
                    item);
    enum rl_outcome o = rl_outcome_from_exit((int)code);
    if (o != RL_OUT_ERROR)
        return fail(err, errlen, path, line, "%s is the outcome '%s': write that", item,
                    rl_outcome_name(o));
    if (r->n_exit_codes == RL_EXPECT_MAX_EXITS)
        return fail(err, errlen, path, line, "more than %d exit statuses in one row",
                    RL_EXPECT_MAX_EXITS);
    r->exit_codes[r->n_exit_codes++] = (int)code;
    return 0;
}

static int parse_outcome(struct rl_expect_row *r, const char *spec, const char *path, int line,
                         char *err, size_t errlen)
{
    if (strlen(spec) >= sizeof r->outcome_spec)
        return fail(err, errlen, path, line, "outcome longer than %zu characters",
                    sizeof r->outcome_spec - 1);
    rl_strlcpy(r->outcome_spec, spec, sizeof r->outcome_spec);
    char buf[64];
    rl_strlcpy(buf, spec, sizeof buf);
    const char *body = buf;
    if (strncmp(buf, "may:", 4) == 0) {
        r->outcomes |= 1u << RL_OUT_OK;
        body = buf + 4;
    }
    char tmp[64];
    rl_strlcpy(tmp, body, sizeof tmp);
    for (char *item = strtok(tmp, "|"); item; item = strtok(NULL, "|")) {
        if (strncmp(item, "exit:", 5) == 0) {
            if (parse_exit(r, item, path, line, err, errlen) < 0)
                return -1;
            continue;
        }
        int o = rl_outcome_parse(item);
        if (o < 0 || o == RL_OUT_ERROR)
            return fail(err, errlen, path, line,
                        "unknown outcome '%s' (ok, starved, inconclusive, watchdog, lost-update, "
                        "deadlock, crash, hang, exit:N; may:X; a|b)",
                        item);
        r->outcomes |= 1u << o;
    }
    if (r->outcomes == 0 && r->n_exit_codes == 0)
        return fail(err, errlen, path, line, "empty outcome");
    return 0;
}

/* A CERT C rule id: three capital letters, two digits, "-C" (CON32-C, POS51-C). */
static int valid_cert_rule(const char *s)
{
    return strlen(s) == 7 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           isupper((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
           isdigit((unsigned char)s[4]) && strcmp(s + 5, "-C") == 0;
}

/* cert: RULE[,RULE...], the SEI CERT C rules the case shows; each must look like one. */
static int parse_cert(struct rl_expect *e, const char *value, const char *path, int line, char *err,
                      size_t errlen)
{
    if (e->n_cert > 0)
        return fail(err, errlen, path, line, "header 'cert:' is given twice");
    char list[512];
    if (strlen(value) >= sizeof list)
        return fail(err, errlen, path, line, "cert: longer than %zu characters", sizeof list - 1);
    rl_strlcpy(list, value, sizeof list);
    char *save = NULL;
    for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        w = rl_trim(w);
        if (!valid_cert_rule(w))
            return fail(err, errlen, path, line,
                        "cert: '%s' is not a CERT C rule id (three capitals, two digits, -C: "
                        "CON32-C)",
                        w);
        for (int i = 0; i < e->n_cert; i++)
            if (strcmp(e->cert[i], w) == 0)
                return fail(err, errlen, path, line, "cert: '%s' is listed twice", w);
        if (e->n_cert == RL_EXPECT_MAX_CERT)
            return fail(err, errlen, path, line, "cert: more than %d rules", RL_EXPECT_MAX_CERT);
        rl_strlcpy(e->cert[e->n_cert++], w, sizeof e->cert[0]);
    }
    if (e->n_cert == 0)
        return fail(err, errlen, path, line, "cert: names no rule (cert: CON32-C[,POS49-C])");
    return 0;
}

/* param: NAME=v1,v2,...: a parameter the variants read from their environment
 * (RL_PROTO_PARAM_ENV_PREFIX NAME). The name is what the variable's name can hold; the
 * values are whole numbers, so a variant reads them with one strtol and no quoting. */
static int parse_param(struct rl_expect *e, const char *value, const char *path, int line,
                       char *err, size_t errlen)
{
    const char *eq = strchr(value, '=');
    if (eq == NULL)
        return fail(err, errlen, path, line, "param: '%s' is not NAME=v1,v2,... (param: ITERS=100,1000)",
                    value);
    size_t nlen = (size_t)(eq - value);
    int name_ok = nlen > 0 && nlen < RL_PARAM_NAME_MAX && isupper((unsigned char)value[0]);
    for (size_t i = 0; name_ok && i < nlen; i++)
        name_ok = isupper((unsigned char)value[i]) || isdigit((unsigned char)value[i]) ||
                  value[i] == '_';
    if (!name_ok)
        return fail(err, errlen, path, line,
                    "param: name '%.*s' must be capitals, digits and '_', a capital first, at "
                    "most %d characters",
                    (int)(nlen > 64 ? 64 : nlen), value, RL_PARAM_NAME_MAX - 1);
    struct rl_param p = {.line = line};
    memcpy(p.name, value, nlen);
    const struct rl_param *old = rl_expect_param(e, p.name);
    if (old)
        return fail(err, errlen, path, line, "param: '%s' is given twice (first at line %d)",
                    p.name, old->line);
    if (e->n_params == RL_EXPECT_MAX_PARAMS)
        return fail(err, errlen, path, line, "param: more than %d parameters",
                    RL_EXPECT_MAX_PARAMS);
    char list[512];
    if (strlen(eq + 1) >= sizeof list)
        return fail(err, errlen, path, line, "param: longer than %zu characters", sizeof list - 1);
    rl_strlcpy(list, eq + 1, sizeof list);
    /* split by hand: strtok would pass over an empty value ("1,,2") */
    for (char *w = list, *next; w; w = next) {
        next = strchr(w, ',');
        if (next)
            *next++ = '\0';
        w = rl_trim(w);
        long v = whole_number(w, 0, RL_PARAM_VALUE_MAX);
        if (v < 0)
            return fail(err, errlen, path, line,
                        "param: %s value '%s' must be a whole number from 0 to %ld", p.name, w,
                        RL_PARAM_VALUE_MAX);
        for (int i = 0; i < p.n_values; i++)
            if (p.values[i] == v)
                return fail(err, errlen, path, line, "param: %s value %ld is listed twice",
                            p.name, v);
        if (p.n_values == RL_PARAM_MAX_VALUES)
            return fail(err, errlen, path, line, "param: %s has more than %d values", p.name,
                        RL_PARAM_MAX_VALUES);
        p.values[p.n_values++] = v;
    }
    e->params[e->n_params++] = p;
    return 0;
}

const struct rl_param *rl_expect_param(const struct rl_expect *e, const char *name)
{
    for (int i = 0; i < e->n_params; i++)
        if (strcmp(e->params[i].name, name) == 0)
            return &e->params[i];
    return NULL;
}

/* cflags: / ldflags: options passed to the compiler as they are: no quotes, no shell. */
static int parse_flags(char *dst, size_t dstlen, const char *key, const char *value,
                       const char *path, int line, char *err, size_t errlen)
{
    if (dst[0] != '\0')
        return fail(err, errlen, path, line, "header '%s:' is given twice", key);
    if (strlen(value) >= dstlen)
        return fail(err, errlen, path, line, "%s: longer than %zu characters", key, dstlen - 1);
    if (strpbrk(value, "'\"\\"))
        return fail(err, errlen, path, line,
                    "%s: quotes are not supported (words are split at spaces, as written)", key);
    char words[512];
    rl_strlcpy(words, value, sizeof words);
    for (char *w = strtok(words, " \t"); w; w = strtok(NULL, " \t")) {
        if (w[0] != '-')
            return fail(err, errlen, path, line,
                        "%s: '%s' is not an option (each word starts "
                        "with '-')",
                        key, w);
        static const char *const owned[] = {"-o", "-c", "-E", "-S"};
        for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
            if (strcmp(w, owned[i]) == 0)
                return fail(err, errlen, path, line,
                            "%s: '%s' is racelab's to give (it builds one program per variant)",
                            key, w);
    }
    rl_strlcpy(dst, value, dstlen);
    return 0;
}

int rl_expect_parse(const char *text, const char *path, struct rl_expect *e, char *err,
                    size_t errlen)
{
    memset(e, 0, sizeof *e);
    rl_strlcpy(e->path, path, sizeof e->path);
    size_t cap = 0;
    int line = 0;
    const char *p = text;
    /* an editor's UTF-8 byte order mark says nothing; UTF-16 would read as garbage */
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    else if (strncmp(p, "\xFF\xFE", 2) == 0 || strncmp(p, "\xFE\xFF", 2) == 0)
        return fail(err, errlen, path, 1, "the file is UTF-16: save it as UTF-8");
    while (*p) {
        line++;
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[2048];
        if (len >= sizeof buf)
            return fail(err, errlen, path, line, "line longer than %zu characters", sizeof buf - 1);
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = nl ? nl + 1 : p + len;
        char *s = rl_trim(buf);
        if (*s == '\0' || *s == '#')
            continue;

        char *first_space = strpbrk(s, " \t");
        char *colon = strchr(s, ':');
        if (colon && (!first_space || colon < first_space) && colon[1] != '\0' &&
            (colon[1] == ' ' || colon[1] == '\t')) {
            /* a header line: "key: value" */
            *colon = '\0';
            char *value = rl_trim(colon + 1);
            if (strcmp(s, "family") == 0) {
                if (strcmp(value, "race") != 0 && strcmp(value, "starvation") != 0)
                    return fail(err, errlen, path, line,
                                "family must be 'race' or 'starvation', not '%s'", value);
                rl_strlcpy(e->family, value, sizeof e->family);
            } else if (strcmp(s, "lesson") == 0) {
                if (strlen(value) >= sizeof e->lesson)
                    return fail(err, errlen, path, line,
                                "lesson longer than %zu characters: say it in one line",
                                sizeof e->lesson - 1);
                rl_strlcpy(e->lesson, value, sizeof e->lesson);
            } else if (strcmp(s, "cflags") == 0 || strcmp(s, "ldflags") == 0) {
                int c = s[0] == 'c';
                if (parse_flags(c ? e->cflags : e->ldflags,
                                c ? sizeof e->cflags : sizeof e->ldflags, s, value, path, line, err,
                                errlen) < 0)
                    return -1;
            } else if (strcmp(s, "cert") == 0) {
                if (parse_cert(e, value, path, line, err, errlen) < 0)
                    return -1;
            } else if (strcmp(s, "param") == 0) {
                if (parse_param(e, value, path, line, err, errlen) < 0)
                    return -1;
            } else {
                return fail(err, errlen, path, line,
                            "unknown header '%s:' (family, lesson, cert, cflags, ldflags, param)", s);
            }
            continue;
        }

        struct rl_expect_row r;
        memset(&r, 0, sizeof r);
        r.line = line;
        char *cur = s;
        char *variant = next_word(&cur);
        char *tools = next_word(&cur);
        char *findings = next_word(&cur);
        char *outcome = next_word(&cur);
        char *reason = rl_trim(cur);
        if (!variant || !tools || !findings || !outcome)
            return fail(err, errlen, path, line,
                        "a row needs: variant tools findings outcome reason");
        if (*reason == '\0')
            return fail(err, errlen, path, line,
                        "row '%s %s' has no reason: say in one line why the cell is what it is",
                        variant, tools);
        if (!valid_name(variant) || strlen(variant) >= sizeof r.variant)
            return fail(err, errlen, path, line, "bad variant name '%s'", variant);
        rl_strlcpy(r.variant, variant, sizeof r.variant);
        rl_strlcpy(r.tools_spec, tools, sizeof r.tools_spec);
        char bad[64] = "";
        r.tools = rl_tool_mask(tools, bad, sizeof bad);
        if (r.tools == 0)
            return fail(err, errlen, path, line,
                        "unknown tool '%s' (%s; groups *, detectors, tsan, valgrind)", bad,
                        rl_tool_names());
        if (parse_findings(&r, findings, path, line, err, errlen) < 0)
            return -1;
        if (!r.no_detector && (r.tools & (1u << RL_NATIVE)))
            return fail(err, errlen, path, line,
                        "native runs no detector: its findings column must be '-'");
        if (parse_outcome(&r, outcome, path, line, err, errlen) < 0)
            return -1;
        /* A run the harness had to kill leaves the detector no chance to finish its report,
         * so a hang row has no findings verdict under any tool; nor does a crash under a
         * detector that writes its verdict at exit (TSan's channel ends in its finalize). */
        if (r.no_detector && (r.tools & ~(1u << RL_NATIVE)) &&
            ((r.outcomes != 1u << RL_OUT_HANG && r.outcomes != 1u << RL_OUT_CRASH) ||
             r.n_exit_codes))
            return fail(err, errlen, path, line,
                        "findings '-' (no verdict) is for native, or for an outcome of exactly "
                        "'hang' or 'crash'; detectors need 'clean' or kind:name");
        if (strlen(reason) >= sizeof r.reason)
            return fail(err, errlen, path, line,
                        "reason longer than %zu characters: say it in one line",
                        sizeof r.reason - 1);
        rl_strlcpy(r.reason, reason, sizeof r.reason);

        if (e->n_rows == cap) {
            cap = cap ? cap * 2 : 16;
            struct rl_expect_row *rows = realloc(e->rows, cap * sizeof *rows);
            if (rows == NULL)
                return fail(err, errlen, path, line, "out of memory");
            e->rows = rows;
        }
        e->rows[e->n_rows++] = r;
    }
    if (e->family[0] == '\0')
        return fail(err, errlen, path, 1, "missing header 'family: race|starvation'");
    if (e->lesson[0] == '\0')
        return fail(err, errlen, path, 1, "missing header 'lesson: ...' (the one-line lesson)");
    if (e->n_rows == 0)
        return fail(err, errlen, path, 0, "no expectation rows");
    return 0;
}

int rl_expect_load(const char *path, struct rl_expect *e, char *err, size_t errlen)
{
    struct rl_buf b = {0};
    if (rl_read_file_whole(path, RL_EXPECT_MAX_BYTES, &b) < 0) {
        memset(e, 0, sizeof *e);
        if (errno == EFBIG)
            snprintf(err, errlen, "%s: larger than the %d MiB an expect file may hold", path,
                     RL_EXPECT_MAX_BYTES >> 20);
        else
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        rl_buf_free(&b);
        return -1;
    }
    int rc = rl_expect_parse(rl_buf_str(&b), path, e, err, errlen);
    rl_buf_free(&b);
    return rc;
}

void rl_expect_free(struct rl_expect *e)
{
    free(e->rows);
    e->rows = NULL;
    e->n_rows = 0;
}

int rl_expect_validate(const struct rl_expect *e, const char *const *variants, size_t n, char *err,
                       size_t errlen)
{
    return rl_expect_validate_loop(e, variants, n, 0, err, errlen);
}

int rl_expect_validate_loop(const struct rl_expect *e, const char *const *variants, size_t n,
                            unsigned on_loop, char *err, size_t errlen)
{
    for (size_t i = 0; i < e->n_rows; i++) {
        const struct rl_expect_row *r = &e->rows[i];
        int known = 0;
        for (size_t v = 0; v < n; v++)
            known |= strcmp(variants[v], r->variant) == 0;
        if (!known)
            return fail(err, errlen, e->path, r->line, "no variant '%s' (no %s.c in the case)",
                        r->variant, r->variant);
        for (size_t j = 0; j < i; j++) {
            const struct rl_expect_row *o = &e->rows[j];
            unsigned both = o->tools & r->tools;
            if (strcmp(o->variant, r->variant) == 0 && both) {
                int t = __builtin_ctz(both);
                return fail(err, errlen, e->path, r->line, "'%s %s' is already covered by line %d",
                            r->variant, rl_tools[t].name, o->line);
            }
        }
    }
    for (size_t v = 0; v < n; v++)
        for (int t = 0; t < RL_TOOL_COUNT; t++)
            if (rl_expect_find(e, variants[v], t) == NULL &&
                (rl_tools[t].kind != RL_KIND_EXPLORE || (on_loop >> v & 1u)))
                return fail(err, errlen, e->path, 0, "no row for variant '%s' under tool '%s'",
                            variants[v], rl_tools[t].name);
    return 0;
}

const struct rl_expect_row *rl_expect_find(const struct rl_expect *e, const char *variant, int tool)
{
    for (size_t i = 0; i < e->n_rows; i++)
        if ((e->rows[i].tools & (1u << tool)) && strcmp(e->rows[i].variant, variant) == 0)
            return &e->rows[i];
    return NULL;
}

const struct rl_expect_row *rl_expect_cell_row(const struct rl_expect *e, const char *variant,
                                               int tool)
{
    static const struct rl_expect_row off_loop = {
        .variant = "-",
        .tools_spec = "explore",
        .tools = 1u << RL_EXPLORE,
        .no_detector = 1,
        .findings_spec = "-",
        .outcome_spec = "-",
        .reason = "not on the cooperative loop: explore has no schedule to try",
    };
    const struct rl_expect_row *r = rl_expect_find(e, variant, tool);
    return r == NULL && rl_tools[tool].kind == RL_KIND_EXPLORE ? &off_loop : r;
}

void rl_expect_findings_text(const struct rl_expect_row *r, char *out, size_t len)
{
    if (r->no_detector) {
        rl_strlcpy(out, "-", len);
        return;
    }
    if (r->n_need == 0) {
        rl_strlcpy(out, "clean", len);
        return;
    }
    out[0] = '\0';
    for (int i = 0; i < r->n_need; i++) {
        size_t used = strlen(out);
        char count[16] = "";
        if (r->need[i].count)
            snprintf(count, sizeof count, "=%d", r->need[i].count);
        snprintf(out + used, len - used, "%s%s:%s%s", i ? "," : "", rl_kind_name(r->need[i].kind),
                 r->need[i].name, count);
    }
}
