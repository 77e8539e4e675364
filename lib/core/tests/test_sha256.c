/*
 * wn_sha256_hex (lib/core/sha256.h): the FIPS 180-2 test vectors ("abc",
 * the empty string, the two-block message), bytes after a NUL counted,
 * and the same digest from many threads at once (the one-time lookup).
 */
#include "check.h"
#include "sha256.h"

#include <pthread.h>
#include <string.h>

static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void *digest_abc(void *arg)
{
	char out[65];
	wn_sha256_hex("abc", 3, out);
	*(int *)arg = strcmp(out, abc) == 0;
	return NULL;
}

int main(void)
{
	char out[65];
	wn_sha256_hex("abc", 3, out);
	CHECK_STR(out, abc);
	wn_sha256_hex("", 0, out);
	CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	wn_sha256_hex(two, strlen(two), out);
	CHECK_STR(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	wn_sha256_hex("a\0b", 3, out); /* not the digest of "a" */
	CHECK(strcmp(out, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb") != 0);
	CHECK(strlen(out) == 64);

	pthread_t t[8];
	int ok[8] = {0};
	for (int i = 0; i < 8; i++)
		CHECK(pthread_create(&t[i], NULL, digest_abc, &ok[i]) == 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		CHECK(ok[i]);
	}
	return check_finish();
}
