/* flags/safe_flags.c -- needs -DCUBE from cflags and cbrt() from libm (ldflags: -lm). */
#include <math.h>

#ifndef CUBE
#error "CUBE comes from the expect file's cflags header"
#endif

int main(void)
{
    volatile double x = CUBE; /* volatile: keep cbrt a call into libm */
    return cbrt(x) > 2.99 && cbrt(x) < 3.01 ? 0 : 40;
}
