/* fuzz_reader.c — libFuzzer harness for one reader, named at compile time by
 * FUZZ_READER ("text", "html"): read, normalise, check the tree's invariants. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    oct_context *ctx = fuzz_context();
    oct_doc *doc = fuzz_read(ctx, FUZZ_READER, data, len);
    oct_doc_free(doc);
    oct_context_free(ctx);
    return 0;
}
