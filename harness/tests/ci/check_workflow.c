/* check_workflow REPO WORKFLOW.yml -- check the CI workflow mechanically, since there is no
 * GitHub here to run it: it parses as YAML; every `run:` step calls a script under ci/ that
 * exists and is executable; the leg matrix has a leg for every detector and the unit tests;
 * every job runs in a Debian container of each release the suite is verified on (the
 * clean rooms' releases), with a timeout; a newer run cancels an older one (concurrency);
 * actions are at majors that still run (Node 24); and SARIF uploads get a category per leg
 * and happen only when the leg produced SARIF. Exit 0 when all hold, 1 with the reasons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static const char *const required_legs[] = {"tsan-clang", "tsan-gcc", "helgrind", "drd",
                                            "unit"};
/* The releases .ci/run proves in clean rooms (README "Verified on"). */
static const char *const required_debian[] = {"12", "13"};

/* The oldest majors that still run: GitHub removed Node 20 from its runners in
 * September 2026, and these are the first majors of each action on Node 24. */
static const struct {
    const char *action;
    int major;
} min_majors[] = {
    {"actions/checkout@", 6},
    {"actions/upload-artifact@", 7},
    {"github/codeql-action/", 4},
};

static int problems;

static void problem(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "check_workflow: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    problems++;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The command a step runs must be one script under ci/, with its arguments. */
static void check_run(const char *repo, const char *run)
{
    char script[512];
    size_t n = strcspn(run, " \t\n");
    if (strncmp(run, "ci/", 3) != 0 || n >= sizeof script || run[n + strspn(run + n, " \t")] == '\n') {
        problem("a run step must call one script under ci/, not: %s%s", run, "");
        return;
    }
    memcpy(script, run, n);
    script[n] = '\0';
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", repo, script);
    struct stat st;
    if (stat(path, &st) != 0)
        problem("the workflow calls %s, which does not exist%s", script, "");
    else if (!(st.st_mode & S_IXUSR))
        problem("the workflow calls %s, which is not executable%s", script, "");
}

static void check_uses(const char *uses)
{
    for (size_t i = 0; i < sizeof min_majors / sizeof *min_majors; i++) {
        if (strncmp(uses, min_majors[i].action, strlen(min_majors[i].action)) != 0)
            continue;
        const char *at = strchr(uses, '@');
        if (at == NULL || at[1] != 'v' || atoi(at + 2) < min_majors[i].major) {
            char want[64];
            snprintf(want, sizeof want, "v%d", min_majors[i].major);
            problem("%s is older than %s, the first major on Node 24", uses, want);
        }
    }
}

/* Each job runs in debian:${{ matrix.debian }} with every verified release in the matrix. */
static void check_container(yaml_document_t *d, yaml_node_t *job)
{
    const char *image = scalar(get(d, get(d, job, "container"), "image"));
    if (image == NULL || strncmp(image, "debian:", 7) != 0) {
        problem("a job must run in a Debian container (container.image debian:...), not on "
                "the runner's own toolchains%s%s",
                "", "");
        return;
    }
    yaml_node_t *rel = get(d, get(d, get(d, job, "strategy"), "matrix"), "debian");
    for (size_t r = 0; r < sizeof required_debian / sizeof *required_debian; r++) {
        int found = strcmp(image + 7, required_debian[r]) == 0;
        if (rel && rel->type == YAML_SEQUENCE_NODE)
            for (yaml_node_item_t *i = rel->data.sequence.items.start;
                 i < rel->data.sequence.items.top; i++) {
                const char *v = scalar(yaml_document_get_node(d, *i));
                found |= v && strcmp(v, required_debian[r]) == 0;
            }
        if (!found)
            problem("no leg runs on Debian %s, where the suite is verified%s", required_debian[r],
                    "");
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: check_workflow REPO WORKFLOW.yml\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(stderr, "check_workflow: %s:%zu: not valid YAML: %s\n", argv[2],
                parser.problem_mark.line + 1, parser.problem ? parser.problem : "?");
        return 1;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *jobs = get(&doc, root, "jobs");
    if (jobs == NULL || jobs->type != YAML_MAPPING_NODE) {
        problem("no jobs%s%s", "", "");
        return 1;
    }
    if (scalar(get(&doc, get(&doc, root, "concurrency"), "group")) == NULL)
        problem("no concurrency group: an older run of the same branch would go on%s%s", "", "");
    int have[sizeof required_legs / sizeof *required_legs] = {0};
    for (yaml_node_pair_t *p = jobs->data.mapping.pairs.start; p < jobs->data.mapping.pairs.top;
         p++) {
        yaml_node_t *job = yaml_document_get_node(&doc, p->value);
        yaml_node_t *legs = get(&doc, get(&doc, get(&doc, job, "strategy"), "matrix"), "leg");
        if (legs && legs->type == YAML_SEQUENCE_NODE)
            for (yaml_node_item_t *i = legs->data.sequence.items.start;
                 i < legs->data.sequence.items.top; i++) {
                const char *leg = scalar(yaml_document_get_node(&doc, *i));
                for (size_t r = 0; leg && r < sizeof have / sizeof *have; r++)
                    have[r] |= strcmp(leg, required_legs[r]) == 0;
            }
        if (scalar(get(&doc, job, "timeout-minutes")) == NULL)
            problem("a job has no timeout-minutes%s%s", "", "");
        check_container(&doc, job);
        yaml_node_t *steps = get(&doc, job, "steps");
        if (steps == NULL || steps->type != YAML_SEQUENCE_NODE) {
            problem("a job has no steps%s%s", "", "");
            continue;
        }
        for (yaml_node_item_t *i = steps->data.sequence.items.start;
             i < steps->data.sequence.items.top; i++) {
            yaml_node_t *step = yaml_document_get_node(&doc, *i);
            const char *run = scalar(get(&doc, step, "run"));
            if (run)
                check_run(argv[1], run);
            const char *uses = scalar(get(&doc, step, "uses"));
            if (uses)
                check_uses(uses);
            if (uses && strstr(uses, "upload-sarif")) {
                const char *cond = scalar(get(&doc, step, "if"));
                if (cond == NULL || strstr(cond, "outputs.sarif") == NULL)
                    problem("the SARIF upload must depend on the leg's `sarif` output, so that "
                            "a leg that skipped everything uploads nothing%s%s",
                            "", "");
                const char *cat = scalar(get(&doc, get(&doc, step, "with"), "category"));
                if (cat == NULL || strstr(cat, "matrix.leg") == NULL)
                    problem("the SARIF upload needs a category per leg (with matrix.leg)%s%s",
                            "", "");
            }
        }
    }
    for (size_t r = 0; r < sizeof have / sizeof *have; r++)
        if (!have[r])
            problem("no leg for %s in the workflow's matrix%s", required_legs[r], "");
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    if (problems == 0)
        printf("check_workflow: %s: parses, calls only ci/ scripts that exist and run, has "
               "a leg per detector on each verified Debian, and uploads SARIF only when made\n",
               argv[2]);
    return problems ? 1 : 0;
}
