/* Durations and sizes as people write them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

bool units_parse_duration_ms(const char *s, uint64_t *ms)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return false;
    uint64_t mul;
    if (strcasecmp(end, "ms") == 0)
        mul = 1;
    else if (*end == '\0' || strcasecmp(end, "s") == 0)
        mul = 1000;
    else if (strcasecmp(end, "m") == 0 || strcasecmp(end, "min") == 0)
        mul = 60000;
    else if (strcasecmp(end, "h") == 0)
        mul = 3600000;
    else if (strcasecmp(end, "d") == 0)
        mul = 86400000;
    else
        return false;
    *ms = v * mul;
    return true;
}

bool units_parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return false;
    uint64_t mul = 1;
    switch (toupper((unsigned char)*end)) {
    case 'K':
        mul = 1024;
        end++;
        break;
    case 'M':
        mul = 1024 * 1024;
        end++;
        break;
    case 'G':
        mul = 1024ull * 1024 * 1024;
        end++;
        break;
    case 'T':
        mul = 1024ull * 1024 * 1024 * 1024;
        end++;
        break;
    default:
        break;
    }
    end += strspn(end, "iIbB");
    *bytes = v * mul;
    return *end == '\0';
}
