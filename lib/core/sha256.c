/* lib/core/sha256.c: SHA-256 through OpenSSL's libcrypto. */
#include "sha256.h"

#include <openssl/evp.h>
#include <pthread.h>

/* OpenSSL 3 looks the algorithm up again on every EVP_sha256() digest;
 * one explicit fetch per process saves that on each record. */
static EVP_MD *g_sha256;
static pthread_once_t g_sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void wn_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	pthread_once(&g_sha256_once, sha256_fetch);
	if (!EVP_Digest(data, n, md, &mdlen, g_sha256 ? g_sha256 : EVP_sha256(), NULL))
		mdlen = 0;
	for (unsigned i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[mdlen < 32 ? 2 * mdlen : 64] = '\0';
}
