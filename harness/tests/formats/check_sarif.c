/* check_sarif [--actionable] FILE: the SARIF 2.1.0 rules a consumer (GitHub code scanning, a SARIF
 * viewer) relies on, checked on a file racelab wrote. No Debian package ships the OASIS schema, so
 * these are the schema's constraints written out, each named in its message:
 *
 *   sarif.top        version "2.1.0", runs an array, only the sarifLog properties
 *   sarif.props      every object racelab writes has only the properties the schema lists
 *                    for it (the schema closes them with additionalProperties: false)
 *   sarif.driver     tool.driver.name a string; version a string when there
 *   sarif.rules      each rule an id, unique in its run; its descriptions and help are
 *                    messages with text
 *   sarif.result     message.text; level one of none, note, warning, error; ruleIndex an
 *                    integer that points at the rule of ruleId
 *   sarif.location   uri a URI reference (no space, no control character); a uriBaseId
 *                    that the run's originalUriBaseIds defines; startLine an integer >= 1;
 *                    location ids integers >= -1, unique among a result's relatedLocations
 *   sarif.base       each originalUriBaseIds entry an absolute URI ending in '/'
 *   sarif.invocation executionSuccessful a boolean; notifications with text and a level
 *   sarif.limits     GitHub's upload limits: at most 20 runs, 25,000 results per run,
 *                    1,000 locations and relatedLocations per result
 *
 * With --actionable, racelab's promise for code-scanning.sarif too:
 *
 *   sarif.actionable every result has level "error": nothing expected is uploaded
 *
 * Exit 0 when all hold, 1 with every problem on stderr, 2 when the file is not JSON. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int problems, actionable;

static void problem(const char *rule, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: %s: ", rule, where);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    problems++;
}

/* Only the properties the schema lists for this object (NULL-terminated). */
static void props(json_t *obj, const char *const *allowed, const char *where)
{
    if (!json_is_object(obj)) {
        problem("sarif.props", where, "is not an object");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            problem("sarif.props", where, "has \"%s\", which the schema does not allow there", key);
    }
}

static const char *const LOG[] = {"$schema",    "version", "runs", "inlineExternalProperties",
                                  "properties", NULL};
static const char *const RUN[] = {"tool",
                                  "invocations",
                                  "conversion",
                                  "language",
                                  "versionControlProvenance",
                                  "originalUriBaseIds",
                                  "artifacts",
                                  "logicalLocations",
                                  "graphs",
                                  "results",
                                  "automationDetails",
                                  "runAggregates",
                                  "baselineGuid",
                                  "redactionTokens",
                                  "defaultEncoding",
                                  "defaultSourceLanguage",
                                  "newlineSequences",
                                  "columnKind",
                                  "externalPropertyFileReferences",
                                  "threadFlowLocations",
                                  "taxonomies",
                                  "addresses",
                                  "translations",
                                  "policies",
                                  "webRequests",
                                  "webResponses",
                                  "specialLocations",
                                  "properties",
                                  NULL};
static const char *const TOOL[] = {"driver", "extensions", "properties", NULL};
static const char *const COMPONENT[] = {"guid",
                                        "name",
                                        "organization",
                                        "product",
                                        "productSuite",
                                        "shortDescription",
                                        "fullDescription",
                                        "fullName",
                                        "version",
                                        "semanticVersion",
                                        "dottedQuadFileVersion",
                                        "releaseDateUtc",
                                        "downloadUri",
                                        "informationUri",
                                        "globalMessageStrings",
                                        "notifications",
                                        "rules",
                                        "taxa",
                                        "locations",
                                        "language",
                                        "contents",
                                        "isComprehensive",
                                        "localizedDataSemanticVersion",
                                        "minimumRequiredLocalizedDataSemanticVersion",
                                        "associatedComponent",
                                        "translationMetadata",
                                        "supportedTaxonomies",
                                        "properties",
                                        NULL};
static const char *const DESCRIPTOR[] = {"id",
                                         "deprecatedIds",
                                         "guid",
                                         "deprecatedGuids",
                                         "name",
                                         "deprecatedNames",
                                         "shortDescription",
                                         "fullDescription",
                                         "messageStrings",
                                         "defaultConfiguration",
                                         "helpUri",
                                         "help",
                                         "relationships",
                                         "properties",
                                         NULL};
static const char *const MULTIFORMAT[] = {"text", "markdown", "properties", NULL};
static const char *const MESSAGE[] = {"text", "markdown", "id", "arguments", "properties", NULL};
static const char *const CONFIGURATION[] = {"enabled",    "level",      "rank",
                                            "parameters", "properties", NULL};
static const char *const RESULT[] = {"ruleId",
                                     "ruleIndex",
                                     "rule",
                                     "kind",
                                     "level",
                                     "message",
                                     "analysisTarget",
                                     "locations",
                                     "guid",
                                     "correlationGuid",
                                     "occurrenceCount",
                                     "partialFingerprints",
                                     "fingerprints",
                                     "stacks",
                                     "codeFlows",
                                     "graphs",
                                     "graphTraversals",
                                     "relatedLocations",
                                     "suppressions",
                                     "baselineState",
                                     "rank",
                                     "attachments",
                                     "hostedViewerUri",
                                     "workItemUris",
                                     "provenance",
                                     "fixes",
                                     "taxa",
                                     "webRequest",
                                     "webResponse",
                                     "properties",
                                     NULL};
static const char *const LOCATION[] = {
    "id",          "physicalLocation", "logicalLocations", "message",
    "annotations", "relationships",    "properties",       NULL};
static const char *const PHYSICAL[] = {"address",       "artifactLocation", "region",
                                       "contextRegion", "properties",       NULL};
static const char *const ARTIFACT_LOCATION[] = {"uri",         "uriBaseId",  "index",
                                                "description", "properties", NULL};
static const char *const REGION[] = {"startLine",  "startColumn", "endLine",        "endColumn",
                                     "charOffset", "charLength",  "byteOffset",     "byteLength",
                                     "snippet",    "message",     "sourceLanguage", "properties",
                                     NULL};
static const char *const LOGICAL[] = {"name",        "index", "fullyQualifiedName", "decoratedName",
                                      "parentIndex", "kind",  "properties",         NULL};
static const char *const INVOCATION[] = {"commandLine",
                                         "arguments",
                                         "responseFiles",
                                         "startTimeUtc",
                                         "endTimeUtc",
                                         "exitCode",
                                         "ruleConfigurationOverrides",
                                         "notificationConfigurationOverrides",
                                         "toolExecutionNotifications",
                                         "toolConfigurationNotifications",
                                         "exitCodeDescription",
                                         "exitSignalName",
                                         "exitSignalNumber",
                                         "processStartFailureMessage",
                                         "executionSuccessful",
                                         "machine",
                                         "account",
                                         "processId",
                                         "executableLocation",
                                         "workingDirectory",
                                         "environmentVariables",
                                         "stdin",
                                         "stdout",
                                         "stderr",
                                         "stdoutStderr",
                                         "properties",
                                         NULL};
static const char *const NOTIFICATION[] = {
    "locations", "message",    "level",          "threadId",   "timeUtc",
    "exception", "descriptor", "associatedRule", "properties", NULL};

static int is_level(const char *s)
{
    return s && (strcmp(s, "none") == 0 || strcmp(s, "note") == 0 || strcmp(s, "warning") == 0 ||
                 strcmp(s, "error") == 0);
}

static void message(json_t *m, const char *const *allowed, const char *where)
{
    props(m, allowed, where);
    if (!json_is_string(json_object_get(m, "text")))
        problem(allowed == MULTIFORMAT ? "sarif.rules" : "sarif.result", where, "has no text");
}

static void artifact_location(json_t *a, json_t *bases, const char *where)
{
    props(a, ARTIFACT_LOCATION, where);
    const char *uri = json_string_value(json_object_get(a, "uri"));
    if (uri == NULL) {
        problem("sarif.location", where, "has no uri");
        return;
    }
    for (const char *p = uri; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' ||
            *p == '\\') {
            problem("sarif.location", where, "uri \"%s\" is not a URI reference (character %d)",
                    uri, *p);
            break;
        }
    const char *base = json_string_value(json_object_get(a, "uriBaseId"));
    if (base && json_object_get(bases, base) == NULL)
        problem("sarif.location", where, "uriBaseId \"%s\" is not in originalUriBaseIds", base);
}

static void location(json_t *loc, json_t *bases, const char *where)
{
    props(loc, LOCATION, where);
    json_t *id = json_object_get(loc, "id");
    if (id && (!json_is_integer(id) || json_integer_value(id) < -1))
        problem("sarif.location", where, "id is not an integer >= -1");
    json_t *phys = json_object_get(loc, "physicalLocation");
    if (phys) {
        props(phys, PHYSICAL, where);
        artifact_location(json_object_get(phys, "artifactLocation"), bases, where);
        json_t *region = json_object_get(phys, "region");
        if (region) {
            props(region, REGION, where);
            json_t *line = json_object_get(region, "startLine");
            if (line && (!json_is_integer(line) || json_integer_value(line) < 1))
                problem("sarif.location", where, "startLine is not an integer >= 1");
        }
    }
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(loc, "logicalLocations"), i, l) props(l, LOGICAL, where);
    if (json_object_get(loc, "message"))
        message(json_object_get(loc, "message"), MESSAGE, where);
}

static void result(json_t *r, json_t *rules, json_t *bases, const char *where)
{
    props(r, RESULT, where);
    message(json_object_get(r, "message"), MESSAGE, where);
    json_t *level = json_object_get(r, "level");
    if (level && !is_level(json_string_value(level)))
        problem("sarif.result", where, "level is not none, note, warning or error");
    else if (actionable && (!level || strcmp(json_string_value(level), "error") != 0))
        problem("sarif.actionable", where, "level is not \"error\": nothing to act on");
    const char *id = json_string_value(json_object_get(r, "ruleId"));
    json_t *index = json_object_get(r, "ruleIndex");
    if (index) {
        json_int_t k = json_is_integer(index) ? json_integer_value(index) : -2;
        json_t *rule = k >= 0 ? json_array_get(rules, (size_t)k) : NULL;
        const char *rule_id = json_string_value(json_object_get(rule, "id"));
        if (k < -1 || (k >= 0 && rule == NULL))
            problem("sarif.result", where, "ruleIndex points at no rule");
        else if (rule && (id == NULL || rule_id == NULL || strcmp(id, rule_id) != 0))
            problem("sarif.result", where, "ruleIndex points at rule \"%s\", not ruleId \"%s\"",
                    rule_id ? rule_id : "?", id ? id : "?");
    }
    json_t *locs = json_object_get(r, "locations"), *rel = json_object_get(r, "relatedLocations");
    if (json_array_size(locs) > 1000 || json_array_size(rel) > 1000)
        problem("sarif.limits", where, "more than 1,000 locations");
    size_t i, j;
    json_t *l, *m;
    json_array_foreach(locs, i, l) location(l, bases, where);
    json_array_foreach(rel, i, l)
    {
        location(l, bases, where);
        json_t *id_i = json_object_get(l, "id");
        json_array_foreach(rel, j,
                           m) if (j < i && id_i && json_equal(id_i, json_object_get(m, "id")))
            problem("sarif.location", where, "two relatedLocations have id %lld",
                    (long long)json_integer_value(id_i));
    }
}

static void run(json_t *run, size_t n)
{
    char where[160];
    snprintf(where, sizeof where, "runs[%zu]", n);
    props(run, RUN, where);
    json_t *tool = json_object_get(run, "tool");
    props(tool, TOOL, where);
    json_t *driver = json_object_get(tool, "driver");
    props(driver, COMPONENT, where);
    if (!json_is_string(json_object_get(driver, "name")))
        problem("sarif.driver", where, "tool.driver.name is not a string");
    json_t *version = json_object_get(driver, "version");
    if (version && !json_is_string(version))
        problem("sarif.driver", where, "tool.driver.version is not a string");
    json_t *rules = json_object_get(driver, "rules"), *rule, *other;
    size_t i, j;
    json_array_foreach(rules, i, rule)
    {
        snprintf(where, sizeof where, "runs[%zu].tool.driver.rules[%zu]", n, i);
        props(rule, DESCRIPTOR, where);
        const char *id = json_string_value(json_object_get(rule, "id"));
        if (id == NULL)
            problem("sarif.rules", where, "has no id");
        json_array_foreach(rules, j, other) if (j < i && id &&
                                                json_equal(json_object_get(rule, "id"),
                                                           json_object_get(other, "id")))
            problem("sarif.rules", where, "id \"%s\" is also rules[%zu]'s", id, j);
        static const char *const texts[] = {"shortDescription", "fullDescription", "help"};
        for (int t = 0; t < 3; t++)
            if (json_object_get(rule, texts[t]))
                message(json_object_get(rule, texts[t]), MULTIFORMAT, where);
        json_t *conf = json_object_get(rule, "defaultConfiguration");
        if (conf) {
            props(conf, CONFIGURATION, where);
            json_t *level = json_object_get(conf, "level");
            if (level && !is_level(json_string_value(level)))
                problem("sarif.rules", where, "defaultConfiguration.level is not a level");
        }
    }
    json_t *bases = json_object_get(run, "originalUriBaseIds"), *base;
    const char *key;
    json_object_foreach(bases, key, base)
    {
        snprintf(where, sizeof where, "runs[%zu].originalUriBaseIds.%s", n, key);
        props(base, ARTIFACT_LOCATION, where);
        const char *uri = json_string_value(json_object_get(base, "uri"));
        size_t len = uri ? strlen(uri) : 0;
        if (len == 0 || uri[len - 1] != '/' || strstr(uri, "://") == NULL)
            problem("sarif.base", where, "uri is not an absolute URI ending in '/'");
    }
    json_t *inv;
    json_array_foreach(json_object_get(run, "invocations"), i, inv)
    {
        snprintf(where, sizeof where, "runs[%zu].invocations[%zu]", n, i);
        props(inv, INVOCATION, where);
        if (!json_is_boolean(json_object_get(inv, "executionSuccessful")))
            problem("sarif.invocation", where, "executionSuccessful is not a boolean");
        json_t *note;
        json_array_foreach(json_object_get(inv, "toolExecutionNotifications"), j, note)
        {
            props(note, NOTIFICATION, where);
            message(json_object_get(note, "message"), MESSAGE, where);
            json_t *level = json_object_get(note, "level");
            if (level && !is_level(json_string_value(level)))
                problem("sarif.invocation", where, "a notification's level is not a level");
        }
    }
    json_t *results = json_object_get(run, "results"), *r;
    if (results && !json_is_array(results))
        problem("sarif.top", where, "results is not an array");
    if (json_array_size(results) > 25000)
        problem("sarif.limits", where, "more than 25,000 results");
    json_array_foreach(results, i, r)
    {
        snprintf(where, sizeof where, "runs[%zu].results[%zu]", n, i);
        result(r, rules, bases, where);
    }
}

int main(int argc, char **argv)
{
    actionable = argc == 3 && strcmp(argv[1], "--actionable") == 0;
    if (argc != 2 + actionable) {
        fprintf(stderr, "usage: check_sarif [--actionable] FILE\n");
        return 2;
    }
    argv += actionable;
    json_error_t e;
    json_t *doc = json_load_file(argv[1], 0, &e);
    if (doc == NULL) {
        fprintf(stderr, "%s:%d: not JSON: %s\n", argv[1], e.line, e.text);
        return 2;
    }
    props(doc, LOG, "the log");
    const char *version = json_string_value(json_object_get(doc, "version"));
    if (version == NULL || strcmp(version, "2.1.0") != 0)
        problem("sarif.top", "the log", "version is not \"2.1.0\"");
    json_t *runs = json_object_get(doc, "runs"), *r;
    if (!json_is_array(runs))
        problem("sarif.top", "the log", "runs is not an array");
    if (json_array_size(runs) > 20)
        problem("sarif.limits", "the log", "more than 20 runs");
    size_t i;
    json_array_foreach(runs, i, r) run(r, i);
    json_decref(doc);
    if (problems) {
        fprintf(stderr, "%s: %d problem(s)\n", argv[1], problems);
        return 1;
    }
    printf("%s: valid SARIF 2.1.0 (sarif.top, props, driver, rules, result, location, base, "
           "invocation, limits)\n",
           argv[1]);
    return 0;
}
