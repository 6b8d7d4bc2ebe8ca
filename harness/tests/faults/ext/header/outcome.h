#define OUTCOME 0
