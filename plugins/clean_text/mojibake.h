/*
 * Mojibake repair: UTF-8 text that was once decoded as Latin-1 or
 * windows-1252 ("youâ€™re", "cafÃ©", "â" followed by C1 controls) turned
 * back into the characters it spelt ("you’re", "café").
 */
#ifndef WN_MOJIBAKE_H
#define WN_MOJIBAKE_H

#include <stddef.h>

/* True when the n bytes at s may hold mojibake (a quick byte scan: a
 * UTF-8 lead byte written as a Latin-1 letter U+00C2-U+00F4); when false,
 * wn_mojibake_fix would change nothing. */
int wn_mojibake_maybe(const char *s, size_t n);

/* Repairs in place the n bytes of UTF-8 at s (invalid bytes are copied
 * as they are) and returns the new length (never longer). A sequence is
 * repaired only when it cannot be ordinary text: a lead letter U+00C2-
 * U+00F4 followed by the continuation characters its UTF-8 byte needs
 * (U+0080-U+00BF, or the windows-1252 characters of bytes 0x80-0x9F),
 * decoding to a valid character, and either holding a C1 control (never
 * text), or spelling a character of three or four bytes, or being "Â"
 * or "Ã" and a Latin-1 sign ("Â£", "Ã©"). "É®", "ß’" or "é’" in text
 * stay. */
size_t wn_mojibake_fix(char *s, size_t n);

#endif
