/*
 * err: the project's one error type.
 *
 * Every fallible function in the kernel, the monitors, libos and the pure
 * libraries returns err_t: ERR_OK (0) on success, a negative code on
 * failure.  Codes are declared once, in ERR_TABLE below, each with the
 * message err_str() returns.  Append new codes at the end (values are part
 * of the syscall and monitor-message ABI and never change).
 *
 * Parsers that reject untrusted input additionally write a sentence naming
 * the offending table, field or line into a caller-supplied buffer; err_t
 * says what class of problem it was, the sentence says where.
 */
#ifndef LIB_ERR_H
#define LIB_ERR_H

typedef int err_t;

#define ERR_TABLE(X)                                                     \
	X(ERR_OK,          0,  "success")                                \
	X(ERR_INVAL,      -1,  "invalid argument")                       \
	X(ERR_NOMEM,      -2,  "out of memory")                          \
	X(ERR_RANGE,      -3,  "value out of range")                     \
	X(ERR_FAULT,      -4,  "bad address")                            \
	X(ERR_FULL,       -5,  "no space left (try again)")              \
	X(ERR_EMPTY,      -6,  "nothing to receive")                     \
	X(ERR_NOENT,      -7,  "no such entry")                          \
	X(ERR_EXIST,      -8,  "already exists")                         \
	X(ERR_PERM,       -9,  "permission denied")                      \
	X(ERR_TRUNC,      -10, "truncated input")                        \
	X(ERR_CHECKSUM,   -11, "checksum mismatch")                      \
	X(ERR_BADMAGIC,   -12, "bad signature or magic number")          \
	X(ERR_UNSUPPORTED,-13, "not supported")                          \
	X(ERR_TIMEOUT,    -14, "timed out")                              \
	X(ERR_DEAD,       -15, "peer core or domain is dead")            \
	X(ERR_BUSY,       -16, "resource busy")                          \
	X(ERR_NOSYS,      -17, "no such system call")                    \
	X(ERR_SYNTAX,     -18, "syntax error")                           \
	X(ERR_TOOBIG,     -19, "too large")                              \
	X(ERR_QUOTA,      -20, "quota exceeded")                         \
	X(ERR_SPANNED,    -21, "the domain spans cores: map and unmap go through the monitors") \
	X(ERR_NOROUTE,    -22, "no route to the core: no path over live cores reaches it") \
	X(ERR_FREED,      -23, "frame is free already (double free)")    \
	X(ERR_FOREIGN,    -24, "frame is not of this allocator's memory")

enum err_code {
#define ERR_ENUM(name, value, msg) name = (value),
	ERR_TABLE(ERR_ENUM)
#undef ERR_ENUM
};

/* Message for an error code; "unknown error" for a value not in the table. */
static inline const char *err_str(err_t e)
{
	switch (e) {
#define ERR_CASE(name, value, msg) case value: return msg;
	ERR_TABLE(ERR_CASE)
#undef ERR_CASE
	default: return "unknown error";
	}
}

#endif
