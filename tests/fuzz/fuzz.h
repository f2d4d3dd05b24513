/* fuzz.h - shared checks for the libFuzzer harnesses. */
#ifndef SOCKFS_FUZZ_H
#define SOCKFS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the parser: report and crash, so that libFuzzer
 * keeps the input. */
#define FUZZ_ASSERT(cond, ...)                                                                     \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond);           \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* An error message: set and terminated within its buffer (it may quote
 * the input, newlines included: it travels as a JSON string). */
#define FUZZ_MSG_OK(msg, len) (memchr((msg), 0, (len)) && (msg)[0])

#endif
