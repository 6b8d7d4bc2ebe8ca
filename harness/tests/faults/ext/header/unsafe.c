/* header/unsafe.c -- exits with the status outcome.h defines. */
#include "outcome.h"

int main(void)
{
    return OUTCOME;
}
