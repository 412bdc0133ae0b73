/*
 * measure_portable.c — plugins/html/extract_text.c compiled without SSE2,
 * under other names, so that the plain-C block scan every other platform
 * uses is checked on this one too (test_measure.c).
 */
#undef __SSE2__
#define ex_text_measure ex_text_measure_portable
#define ex_utf8_next ex_utf8_next_portable
#define ex_is_js_space ex_is_js_space_portable
#define ex_text_similarity ex_text_similarity_portable
#include "extract_text.c"
