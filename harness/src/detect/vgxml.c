#include "vgxml.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "racelab/protocol.h"

enum { MAX_FRAMES = 24, MAX_STACKS = 4, MAX_EXCERPT_ERRORS = 3, MAX_EXCERPT_FRAMES = 4 };

enum rl_kind rl_vg_kind(const char *k, const char *what)
{
    if (strcmp(k, "Race") == 0 || strcmp(k, "ConflictingAccess") == 0)
        return RL_RACE;
    if (strcmp(k, "LockOrder") == 0)
        return RL_LOCK_ORDER;
    if (strcmp(k, "UnlockUnlocked") == 0 || strcmp(k, "UnlockForeign") == 0 ||
        strcmp(k, "UnlockBogus") == 0)
        return RL_BAD_UNLOCK;
    /* DRD files every mutex or rwlock error under one kind; its text says what happened.
     * Only "Mutex not locked", "... not locked by calling thread" are unlocks; the rest
     * (destroying a locked mutex, exiting with it held, relocking it, reinitialising it)
     * is what Helgrind calls Misc or PthAPIerror. */
    if (strcmp(k, "MutexErr") == 0 || strcmp(k, "RwlockErr") == 0)
        return what && strstr(what, "not locked") ? RL_BAD_UNLOCK : RL_API_MISUSE;
    return RL_API_MISUSE; /* PthAPIerror, Misc, CondErr, CondRaceErr, HoldtimeErr, ... */
}

struct st {
    XML_Parser parser;
    const struct rl_elfsym *syms;
    const char *case_dir;
    struct rl_findings *out;
    struct rl_buf *excerpt;
    int depth, in_error, in_stack, in_frame, in_status, in_alloc;
    int finished, errors_seen;
    int sealed; /* a top-level <usercomment> holds this run's token */
    const char *token;
    struct rl_buf text; /* character data of the current leaf */
    /* the current error */
    char kind[48];
    struct rl_buf what, aux;
    struct rl_frame stacks[MAX_STACKS][MAX_FRAMES];
    int n_frames[MAX_STACKS], n_stacks;
    struct rl_frame alloc[MAX_FRAMES]; /* DRD's <allocation_context> of a heap block */
    int n_alloc;
    struct rl_frame frame;
    char dir[512];
    char at3[32]; /* the element open at depth 3 inside an error (xwhat, xauxwhat, ...) */
};

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    struct st *s = ud;
    s->depth++;
    if (s->in_error && s->depth == 3)
        rl_strlcpy(s->at3, name, sizeof s->at3);
    s->text.len = 0;
    if (s->text.data)
        s->text.data[0] = '\0';
    if (strcmp(name, "error") == 0 && s->depth == 2) {
        s->in_error = 1;
        s->kind[0] = '\0';
        s->what.len = s->aux.len = 0;
        rl_buf_append(&s->what, "", 0);
        rl_buf_append(&s->aux, "", 0);
        s->n_stacks = s->n_alloc = 0;
        memset(s->n_frames, 0, sizeof s->n_frames);
    } else if (strcmp(name, "status") == 0) {
        s->in_status = 1;
    } else if (s->in_error && s->depth == 3 && strcmp(name, "stack") == 0) {
        /* only an error's own stacks; DRD's <other_segment_*> stacks sit deeper */
        s->in_stack = s->n_stacks < MAX_STACKS;
    } else if (s->in_error && s->depth == 3 && strcmp(name, "allocation_context") == 0) {
        s->in_alloc = 1;
    } else if (s->in_alloc && s->depth == 4 && strcmp(name, "stack") == 0) {
        s->in_stack = 1;
    } else if (s->in_stack && strcmp(name, "frame") == 0) {
        s->in_frame = 1;
        memset(&s->frame, 0, sizeof s->frame);
        s->dir[0] = '\0';
    }
}

static void on_text(void *ud, const XML_Char *txt, int len)
{
    struct st *s = ud;
    if (s->text.len < 4096)
        rl_buf_append(&s->text, txt, (size_t)len);
}

/* Names of the globals at the addresses a text mentions ("at 0x404030", lock "0x4040A0"). */
static void symbols_from_text(struct st *s, const char *text, struct rl_finding *f, int first)
{
    for (const char *p = text; (p = strstr(p, "0x")) != NULL; p += 2) {
        unsigned long addr = strtoul(p, NULL, 16);
        const char *name = rl_elfsym_lookup(s->syms, addr);
        if (name) {
            f->names_cut |= rl_list_add_symbol(f->symbols, sizeof f->symbols, name) != 0;
            if (first)
                return;
        }
    }
}

/* Helgrind: 'inside data symbol "counter"'; with --read-var-info: 'global var "counter"'. */
static void symbols_from_aux(const char *aux, struct rl_finding *f)
{
    static const char *const marks[] = {"data symbol \"", "global var \"", "local var \""};
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        for (const char *p = aux; (p = strstr(p, marks[m])) != NULL;) {
            p += strlen(marks[m]);
            const char *end = strchr(p, '"');
            if (end == NULL)
                break;
            char name[128];
            size_t n = (size_t)(end - p);
            if (n >= sizeof name) {
                f->names_cut = 1;
                break;
            }
            memcpy(name, p, n);
            name[n] = '\0';
            f->names_cut |= rl_list_add(f->symbols, sizeof f->symbols, name) != 0;
            p = end;
        }
    }
}

/* Up to MAX_EXCERPT_FRAMES named frames of a stack, "at" the first, "by" the others. */
static void excerpt_stack(struct rl_buf *x, const struct rl_frame *fr, int n)
{
    int shown = 0;
    for (int j = 0; j < n && shown < MAX_EXCERPT_FRAMES; j++) {
        if (fr[j].fn[0] == '\0')
            continue; /* Valgrind's preload shims have no name */
        const char *base = strrchr(fr[j].file, '/');
        if (fr[j].file[0])
            rl_buf_printf(x, "   %s %s (%s:%d)\n", shown ? "by" : "at", fr[j].fn,
                          base ? base + 1 : fr[j].file, fr[j].line);
        else
            rl_buf_printf(x, "   %s %s\n", shown ? "by" : "at", fr[j].fn);
        shown++;
    }
}

static void finish_error(struct st *s)
{
    struct rl_finding f;
    memset(&f, 0, sizeof f);
    rl_strlcpy(f.tool_kind, s->kind, sizeof f.tool_kind);
    f.kind = rl_vg_kind(s->kind, rl_buf_str(&s->what));
    const char *what = rl_buf_str(&s->what), *aux = rl_buf_str(&s->aux);
    symbols_from_aux(aux, &f);
    if (f.symbols[0] == '\0')
        symbols_from_text(s, what, &f, f.kind == RL_RACE);
    /* heap memory: Helgrind says "inside a block of size N alloc'd"; DRD says "at offset N
     * from 0x..." and gives the block's <allocation_context> */
    if (f.symbols[0] == '\0' && (strstr(aux, "block of size") || s->n_alloc > 0))
        rl_strlcpy(f.symbols, "heap", sizeof f.symbols);
    /* Helgrind: "Address 0x1fff0004cc is on thread #1's stack", the name TSan gives too */
    if (f.symbols[0] == '\0' && strstr(aux, "'s stack"))
        rl_strlcpy(f.symbols, "stack", sizeof f.symbols);
    /* The first stack is where the error happened; for a race or a lock order Helgrind's
     * second one (the conflicting access, the earlier acquisition) names the other party.
     * For other kinds it only says where a lock was first seen: not a party. */
    int parties = f.kind == RL_RACE || f.kind == RL_LOCK_ORDER ? 2 : 1;
    for (int i = 0; i < s->n_stacks && i < parties; i++)
        rl_finding_add_stack(&f, s->stacks[i], s->n_frames[i], s->case_dir);
    rl_findings_add(s->out, &f);

    if (s->excerpt && s->errors_seen < MAX_EXCERPT_ERRORS) {
        rl_buf_printf(s->excerpt, "%s: %s\n", s->kind, what);
        for (int i = 0; i < s->n_stacks && i < 2; i++)
            excerpt_stack(s->excerpt, s->stacks[i], s->n_frames[i]);
        if (aux[0])
            rl_buf_printf(s->excerpt, " %s\n", aux);
        if (s->n_alloc > 0) {
            rl_buf_puts(s->excerpt, " allocated\n");
            excerpt_stack(s->excerpt, s->alloc, s->n_alloc);
        }
    }
    s->errors_seen++;
}

static void on_end(void *ud, const XML_Char *name)
{
    struct st *s = ud;
    const char *text = rl_buf_str(&s->text);
    if (s->in_frame) {
        if (strcmp(name, "fn") == 0)
            rl_strlcpy(s->frame.fn, text, sizeof s->frame.fn);
        else if (strcmp(name, "dir") == 0)
            rl_strlcpy(s->dir, text, sizeof s->dir);
        else if (strcmp(name, "file") == 0)
            snprintf(s->frame.file, sizeof s->frame.file, "%s%s%s", s->dir, s->dir[0] ? "/" : "",
                     text);
        else if (strcmp(name, "line") == 0)
            s->frame.line = atoi(text);
        else if (strcmp(name, "frame") == 0) {
            s->in_frame = 0;
            int k = s->n_stacks;
            if (s->in_alloc) {
                if (s->n_alloc < MAX_FRAMES)
                    s->alloc[s->n_alloc++] = s->frame;
            } else if (s->n_frames[k] < MAX_FRAMES) {
                s->stacks[k][s->n_frames[k]++] = s->frame;
            }
        }
    } else if (s->in_stack && strcmp(name, "stack") == 0) {
        s->in_stack = 0;
        if (!s->in_alloc)
            s->n_stacks++;
    } else if (s->in_alloc && strcmp(name, "allocation_context") == 0) {
        s->in_alloc = 0;
    } else if (s->in_error) {
        if (strcmp(name, "kind") == 0 && s->depth == 3) {
            rl_strlcpy(s->kind, text, sizeof s->kind);
        } else if ((strcmp(name, "what") == 0 && s->depth == 3) ||
                   (strcmp(name, "text") == 0 && s->depth == 4 && strcmp(s->at3, "xwhat") == 0)) {
            if (s->what.len) /* Helgrind splits some messages over <xwhat> and <what> */
                rl_buf_puts(&s->what, " ");
            rl_buf_puts(&s->what, text);
        } else if ((strcmp(name, "auxwhat") == 0 && s->depth == 3) ||
                   (strcmp(name, "text") == 0 && s->depth == 4 &&
                    strcmp(s->at3, "xauxwhat") == 0)) {
            if (s->aux.len)
                rl_buf_puts(&s->aux, "; ");
            rl_buf_puts(&s->aux, text);
        } else if (strcmp(name, "error") == 0 && s->depth == 2) {
            s->in_error = 0;
            finish_error(s);
        }
    } else if (s->depth == 2 && strcmp(name, "usercomment") == 0 && s->token != NULL) {
        char want[RL_PROTO_TOKEN_LEN + 64];
        snprintf(want, sizeof want, "%s %s", RL_PROTO_VG_COMMENT, s->token);
        s->sealed = strcmp(text, want) == 0;
    } else if (s->in_status && strcmp(name, "state") == 0) {
        s->finished = strcmp(text, "FINISHED") == 0;
    } else if (strcmp(name, "status") == 0) {
        s->in_status = 0;
    }
    s->text.len = 0;
    if (s->text.data)
        s->text.data[0] = '\0';
    s->depth--;
}

static int parse(const char *xml, size_t len, const struct rl_elfsym *syms, const char *case_dir,
                 const char *token, struct rl_findings *out, struct rl_buf *excerpt, int cut);

int rl_vgxml_parse(const char *xml, size_t len, const struct rl_elfsym *syms, const char *case_dir,
                   const char *token, struct rl_findings *out, struct rl_buf *excerpt)
{
    return parse(xml, len, syms, case_dir, token, out, excerpt, 0);
}

int rl_vgxml_parse_cut(const char *xml, size_t len, const struct rl_elfsym *syms,
                       const char *case_dir, const char *token, struct rl_findings *out,
                       struct rl_buf *excerpt)
{
    return parse(xml, len, syms, case_dir, token, out, excerpt, 1);
}

/* cut: the document may stop anywhere between two elements (its process exec'd). */
static int parse(const char *xml, size_t len, const struct rl_elfsym *syms, const char *case_dir,
                 const char *token, struct rl_findings *out, struct rl_buf *excerpt, int cut)
{
    memset(out, 0, sizeof *out);
    struct st s;
    memset(&s, 0, sizeof s);
    s.syms = syms;
    s.case_dir = case_dir;
    s.out = out;
    s.excerpt = excerpt;
    s.token = token;
    if (len == 0) {
        rl_strlcpy(out->error, "Valgrind wrote no XML: the tool did not run", sizeof out->error);
        return -1;
    }
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, xml, (int)len, !cut) == XML_STATUS_OK;
    if (ok && cut && s.in_error) /* an error cut in half tells nothing whole */
        s.finished = 0;
    else if (ok && cut)
        s.finished = s.depth == 1; /* inside <valgrindoutput>, between elements */
    int forged = ok && token != NULL && !s.sealed;
    if (forged)
        snprintf(out->error, sizeof out->error,
                 "this Valgrind XML document was not written by this run's detector (its "
                 "<usercomment> does not hold the run's token; did the program write it?)");
    else if (!ok)
        snprintf(out->error, sizeof out->error,
                 "Valgrind XML is incomplete or malformed at line %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(p),
                 XML_ErrorString(XML_GetErrorCode(p)));
    else if (!s.finished && cut)
        rl_strlcpy(out->error, "Valgrind XML stops inside an element", sizeof out->error);
    else if (!s.finished)
        rl_strlcpy(out->error, "Valgrind XML never reached status FINISHED", sizeof out->error);
    XML_ParserFree(p);
    rl_buf_free(&s.text);
    rl_buf_free(&s.what);
    rl_buf_free(&s.aux);
    if (!ok || !s.finished || forged) {
        rl_findings_free(out);
        return -1;
    }
    out->ran = 1;
    return 0;
}

int rl_vg_fatal(const char *stderr_text, char *line, size_t len)
{
    static const char *const marks[] = {"Valgrind's memory management: out of memory",
                                        "valgrind: the 'impossible' happened",
                                        "VALGRIND INTERNAL ERROR",
                                        "Valgrind: FATAL",
                                        "valgrind: Fatal error",
                                        NULL};
    if (stderr_text == NULL)
        return 0;
    if (rl_find_tagged_line(stderr_text, marks, line, len))
        return 1;
    /* A failed internal check ends the tool at once, before it writes the rest of its XML:
     * "Helgrind: hg_main.c:5379 (hg_handle_client_request): Assertion 'found' failed." (a
     * tool's tl_assert; DRD's says "drd: ", the core's "valgrind: "), on a line of its own. */
    static const char *const asserting[] = {"Helgrind: ", "drd: ", "valgrind: ", NULL};
    for (const char *p = stderr_text; *p;) {
        size_t n = strcspn(p, "\n");
        for (const char *const *m = asserting; *m; m++) {
            size_t k = strlen(*m);
            const char *a = n > k && strncmp(p, *m, k) == 0 ? strstr(p, "): Assertion '") : NULL;
            if (a && a < p + n && n >= 8 && strncmp(p + n - 8, " failed.", 8) == 0) {
                rl_strlcpyn(line, len, p, n);
                return 1;
            }
        }
        p += n + (p[n] == '\n');
    }
    return 0;
}
