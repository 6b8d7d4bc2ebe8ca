/* A tiny non-PIE program with globals of known names and sizes, for test_elfsym: it prints
 * "name address size" for each, so the test checks lookups against the real layout. A size of
 * 0 marks an address that must not be named (a function is not a data object). */
#include <stdint.h>
#include <stdio.h>

long alpha = 1;                /* .data */
int beta[4];                   /* .bss, 16 bytes */
static char gamma_buf[100];    /* a file-local object is in the symbol table too */
const double delta = 2.5;      /* .rodata */
_Thread_local int tls_counter; /* TLS: an offset, not an address; must not be named */

static void show(const char *name, const void *addr, size_t size)
{
    printf("%s %#lx %zu\n", name, (unsigned long)(uintptr_t)addr, size);
}

int main(void)
{
    show("alpha", &alpha, sizeof alpha);
    show("beta", beta, sizeof beta);
    show("gamma_buf", gamma_buf, sizeof gamma_buf);
    show("delta", &delta, sizeof delta);
    show("main", (const void *)(uintptr_t)main, 0);
    gamma_buf[0] = (char)tls_counter;
    return 0;
}
