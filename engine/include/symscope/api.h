/* Marks the functions libsymscope exports; everything else stays inside the library. */
#ifndef SYMSCOPE_API_H
#define SYMSCOPE_API_H

#if defined(__GNUC__)
#define SYM_API __attribute__((visibility("default")))
#else
#define SYM_API
#endif

#endif
