/* check_junit FILE: junit.xml against the rules of the Jenkins xunit plugin's junit-10.xsd,
 * which that plugin validates every JUnit file against (a file that fails is dropped). No
 * Debian package ships the schema, so its rules are written out here, each named in its
 * message:
 *
 *   junit.root        the document element is <testsuites>
 *   junit.attributes  each element carries only the attributes the schema declares for it
 *                     (<testsuites> has no `skipped`)
 *   junit.required    <testsuite> has name, tests, failures and errors; <testcase> a name;
 *                     <property> a name and a value
 *   junit.children    each element holds only the elements the schema allows in it;
 *                     <failure>, <error>, <skipped>, <system-out>, <system-err> hold text
 *   junit.time        a suite's time matches the schema's SUREFIRE_TIME pattern
 *
 * and racelab's own promises on top of the schema:
 *
 *   junit.counts      a suite's tests, failures, errors and skipped count its testcases
 *   junit.annotation  a testcase's file is relative (a repository path, for annotations)
 *                     and its line a whole number >= 1
 *
 * Exit 0 when all hold, 1 with every problem on stderr, 2 when the file is not XML. */
#include <expat.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

static void problem(const char *rule, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: line %ld: ", rule, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    problems++;
}

struct element {
    const char *name;
    const char *attributes; /* " a b c " */
    const char *required;
    const char *children; /* NULL: text only */
};

static const struct element elements[] = {
    {"testsuites", " name time tests failures disabled errors ", "", " testsuite "},
    {"testsuite",
     " name tests failures errors group time disabled skipped skips timestamp hostname id "
     "package assertions file skip log url ",
     " name tests failures errors ", " testsuite properties testcase system-out system-err "},
    {"testcase", " name assertions time timestamp classname status class file line log group url ",
     " name ",
     " skipped error failure rerunFailure rerunError flakyFailure flakyError system-out "
     "system-err "},
    {"properties", " ", " ", " property "},
    {"property", " name value ", " name value ", " "},
    {"failure", " type message ", "", NULL},
    {"error", " type message ", "", NULL},
    {"skipped", " type message ", "", NULL},
    {"system-out", " ", "", NULL},
    {"system-err", " ", "", NULL},
};

static const struct element *find(const char *name)
{
    for (size_t i = 0; i < sizeof elements / sizeof elements[0]; i++)
        if (strcmp(elements[i].name, name) == 0)
            return &elements[i];
    return NULL;
}

static int in_list(const char *list, const char *word)
{
    char w[80];
    snprintf(w, sizeof w, " %s ", word);
    return list && strstr(list, w) != NULL;
}

enum { DEPTH = 16 };
struct suite {
    long line, tests, failures, errors, skipped;
    long said[4]; /* the attributes: tests failures errors skipped, -1 when absent */
};

struct state {
    XML_Parser p;
    const struct element *open[DEPTH];
    int depth;
    struct suite suites[DEPTH];
    int n_suites;
    regex_t time_re;
};

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

static long number(const char *s)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : -1;
    return s && *s && *end == '\0' ? v : -1;
}

static void XMLCALL start(void *data, const XML_Char *name, const XML_Char **a)
{
    struct state *st = data;
    long line = (long)XML_GetCurrentLineNumber(st->p);
    const struct element *el = find(name);
    const struct element *parent = st->depth ? st->open[st->depth - 1] : NULL;
    if (st->depth == 0 && strcmp(name, "testsuites") != 0)
        problem("junit.root", line, "the document element is <%s>, not <testsuites>", name);
    if (parent && !in_list(parent->children, name))
        problem("junit.children", line, "<%s> may not hold <%s>", parent->name, name);
    if (el == NULL) {
        problem("junit.children", line, "<%s> is not an element of junit-10.xsd", name);
    } else {
        for (const XML_Char **p = a; p[0]; p += 2)
            if (!in_list(el->attributes, p[0]))
                problem("junit.attributes", line, "<%s> may not have `%s`", name, p[0]);
        char req[200];
        snprintf(req, sizeof req, "%s", el->required);
        for (char *w = strtok(req, " "); w; w = strtok(NULL, " "))
            if (attr(a, w) == NULL)
                problem("junit.required", line, "<%s> has no `%s`", name, w);
    }
    const char *time = attr(a, "time");
    if (time && (strcmp(name, "testsuite") == 0 || strcmp(name, "testsuites") == 0) &&
        regexec(&st->time_re, time, 0, NULL, 0) != 0)
        problem("junit.time", line, "time \"%s\" does not match SUREFIRE_TIME", time);
    if (strcmp(name, "testsuite") == 0 && st->n_suites < DEPTH) {
        struct suite *s = &st->suites[st->n_suites++];
        memset(s, 0, sizeof *s);
        s->line = line;
        static const char *const counts[4] = {"tests", "failures", "errors", "skipped"};
        for (int i = 0; i < 4; i++)
            s->said[i] = attr(a, counts[i]) ? number(attr(a, counts[i])) : -1;
    }
    if (strcmp(name, "testcase") == 0) {
        const char *file = attr(a, "file"), *ln = attr(a, "line");
        if (file && (file[0] == '\0' || file[0] == '/' || strstr(file, "://")))
            problem("junit.annotation", line, "file \"%s\" is not a repository path", file);
        if (ln && number(ln) < 1)
            problem("junit.annotation", line, "line \"%s\" is not a whole number >= 1", ln);
        if (st->n_suites)
            st->suites[st->n_suites - 1].tests++;
    }
    if (st->n_suites && strcmp(name, "failure") == 0)
        st->suites[st->n_suites - 1].failures++;
    if (st->n_suites && strcmp(name, "error") == 0)
        st->suites[st->n_suites - 1].errors++;
    if (st->n_suites && strcmp(name, "skipped") == 0)
        st->suites[st->n_suites - 1].skipped++;
    if (st->depth < DEPTH)
        st->open[st->depth] = el;
    st->depth++;
}

static void XMLCALL end(void *data, const XML_Char *name)
{
    struct state *st = data;
    st->depth--;
    if (strcmp(name, "testsuite") == 0 && st->n_suites > 0) {
        struct suite *s = &st->suites[--st->n_suites];
        long seen[4] = {s->tests, s->failures, s->errors, s->skipped};
        static const char *const counts[4] = {"tests", "failures", "errors", "skipped"};
        for (int i = 0; i < 4; i++)
            if (s->said[i] >= 0 && s->said[i] != seen[i])
                problem("junit.counts", s->line, "<testsuite> says %s=\"%ld\", but holds %ld",
                        counts[i], s->said[i], seen[i]);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_junit FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    struct state st;
    memset(&st, 0, sizeof st);
    if (regcomp(&st.time_re, "^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]*)?$",
                REG_EXTENDED | REG_NOSUB) != 0)
        return 2;
    st.p = XML_ParserCreate(NULL);
    XML_SetUserData(st.p, &st);
    XML_SetElementHandler(st.p, start, end);
    char buf[65536];
    size_t n;
    int ok = 1;
    do {
        n = fread(buf, 1, sizeof buf, f);
        ok = XML_Parse(st.p, buf, (int)n, n == 0) == XML_STATUS_OK;
    } while (ok && n > 0);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "%s:%lu: not well-formed XML: %s\n", argv[1],
                (unsigned long)XML_GetCurrentLineNumber(st.p),
                XML_ErrorString(XML_GetErrorCode(st.p)));
        return 2;
    }
    XML_ParserFree(st.p);
    regfree(&st.time_re);
    if (problems) {
        fprintf(stderr, "%s: %d problem(s)\n", argv[1], problems);
        return 1;
    }
    printf("%s: valid under junit-10.xsd's rules (junit.root, attributes, required, children, "
           "time) and racelab's (junit.counts, annotation)\n",
           argv[1]);
    return 0;
}
