/* parse.c — bytes to a libxml2 HTML tree. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLtree.h>

#include "html.h"

/* Recovering, silent, offline: no network, no entity substitution, no DTD.
 * HUGE lifts libxml2's 256-level depth cap (which otherwise stops the parse
 * and loses the rest of the page) and its 10 MB text-node cap; the input is
 * already bounded by the core's max_input_bytes, and depth beyond the
 * model's max_depth is flattened by the builder. */
#define PARSE_OPTIONS                                                                      \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |   \
     XML_PARSE_HUGE)

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!html_is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

oct_status html_parse(oct_context *ctx, const oct_input *in, xmlDocPtr *out, oct_error *err)
{
    *out = NULL;
    char label[64];
    const size_t bom = html_detect_charset(in->data, in->len, in->content_type, label,
                                           sizeof label);
    /* --encoding overrides every declaration but a byte order mark. */
    const char *forced = oct_context_option(ctx, "encoding");
    if (forced && *forced && bom == 0)
        snprintf(label, sizeof label, "%s", forced);
    oct_info(ctx, "character encoding %s", label);

    /* Conversion writes at most 3 bytes per input byte (U+FFFD for a bad
     * byte); preparing grows text at most 4/3 ("&lt" -> "&lt;"). */
    if (in->len > ((size_t)1 << 28))
        return oct_error_set(err, OCT_ERR_LIMIT, in->name, 0, "HTML input too large");
    oct_buf utf8, prepared;
    oct_buf_init(&utf8, in->len * 3 + 64);
    oct_buf_init(&prepared, in->len * 4 + 128);
    const char *text = (const char *)in->data + bom;
    size_t text_len = in->len - bom;
    oct_status st = OCT_OK;
    /* Valid UTF-8 (most pages) is prepared straight from the input. */
    if (strcasecmp(label, "UTF-8") != 0 || !oct_utf8_is_valid(text, text_len)) {
        st = html_to_utf8(ctx, in->data + bom, in->len - bom, label, &utf8);
        text = utf8.data ? utf8.data : "";
        text_len = utf8.len;
    }
    /* One allocation of about the final size instead of repeated doubling. */
    if (st == OCT_OK && oct_buf_append(&prepared, text, text_len) == OCT_OK)
        oct_buf_reset(&prepared);
    if (st == OCT_OK)
        st = html_prepare(text, text_len,
                          oct_context_option_bool(ctx, "raw-html", 0)
                              ? 0
                              : HTML_PREPARE_FOLD_INDENTATION,
                          &prepared);
    oct_buf_free(&utf8);
    if (st != OCT_OK) {
        oct_buf_free(&prepared);
        return oct_error_set(err, st, in->name, 0, "cannot prepare the HTML text: %s",
                             oct_status_message(st));
    }
    if (prepared.len > (size_t)INT32_MAX) {
        oct_buf_free(&prepared);
        return oct_error_set(err, OCT_ERR_LIMIT, in->name, 0, "HTML input too large");
    }
    const char *url = in->url ? in->url : NULL;
    /* Nodes never point at namespace declarations (which the extractor
     * could free under them): our tree builder makes none. */
    xmlDocPtr dom = NULL;
    st = html_tree_parse(prepared.data ? prepared.data : "", prepared.len, url, PARSE_OPTIONS,
                         &dom);
    /* libxml2 gives no tree for an empty page; the model's is empty too. */
    if (st == OCT_OK && !dom && is_blank(prepared.data, prepared.len))
        dom = htmlNewDocNoDtD(NULL, NULL);
    oct_buf_free(&prepared);
    if (st != OCT_OK)
        return oct_error_set(err, st, in->name, 0, "cannot parse the HTML: %s",
                             oct_status_message(st));
    if (!dom)
        return oct_error_set(err, OCT_ERR_PARSE, in->name, 0, "libxml2 could not parse the HTML");
    *out = dom;
    return OCT_OK;
}
